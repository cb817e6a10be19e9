package net.dnsoops.ops;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * The log line format (logback.xml uses it for stderr): human-readable text by default, or one
 * JSON object per line ({@code "log-format": "json"} or {@code DNS_OOPS_LOG_FORMAT=json}) with
 * time, level, logger, message and the event's key-value pairs (condition, state, zone,
 * service, serial...) as top-level fields. Uses Jackson, already a dependency, instead of
 * adding an encoder library.
 */
public final class LogLayout extends LayoutBase<ILoggingEvent> {
    public enum Format { TEXT, JSON }

    private static final JsonFactory JSON = new JsonFactory();
    /** The text line; {@link #appendText} writes the same without logback's per-line strings. */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0}: %msg%n";
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("XXX");
    private static volatile Format format = fromEnvironment();
    private final PatternLayout text = new PatternLayout();
    /** The current second's text before and after the milliseconds, made once a second. */
    private volatile TimeText time = new TimeText(Long.MIN_VALUE, "", "");

    private record TimeText(long second, String before, String after) {}

    /** Sets the format for every line from now on (the config's "log-format"; the environment wins). */
    public static void use(Format f) {
        if (System.getenv("DNS_OOPS_LOG_FORMAT") == null) format = f;
    }

    public static Format current() {
        return format;
    }

    /** "text" or "json", case-insensitive. */
    public static Format parse(String s) {
        try {
            return Format.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + s + "' is not a log format (text or json)");
        }
    }

    private static Format fromEnvironment() {
        String e = System.getenv("DNS_OOPS_LOG_FORMAT");
        try {
            return e == null ? Format.TEXT : parse(e);
        } catch (IllegalArgumentException bad) {
            return Format.TEXT;
        }
    }

    @Override
    public void start() {
        text.setContext(getContext());
        text.setPattern(TEXT_PATTERN);
        text.start();
        super.start();
    }

    @Override
    public String doLayout(ILoggingEvent e) {
        if (format == Format.JSON) return json(e);
        StringBuilder b = new StringBuilder(160);
        appendText(b, e);
        return b.toString();
    }

    /**
     * Appends the text line of {@code e}, exactly as {@link #TEXT_PATTERN} formats it, to {@code out}.
     * StderrAppender writes a condition line per zone update (50,000+ a second in scripts/bench
     * verified); logback's pattern made a builder, a string and then bytes of every line.
     * A line with an exception is left to the pattern, which formats stack traces.
     */
    void appendText(StringBuilder out, ILoggingEvent e) {
        if (e.getThrowableProxy() != null) {
            out.append(text.doLayout(e));
            return;
        }
        long ms = e.getTimeStamp();
        long second = Math.floorDiv(ms, 1000);
        TimeText t = time;
        if (t.second() != second) {
            ZonedDateTime at = Instant.ofEpochSecond(second).atZone(ZoneId.systemDefault());
            time = t = new TimeText(second, SECOND.format(at), OFFSET.format(at));
        }
        int milli = (int) Math.floorMod(ms, 1000);
        out.append(t.before()).append((char) ('0' + milli / 100)).append((char) ('0' + milli / 10 % 10))
                .append((char) ('0' + milli % 10)).append(t.after()).append(' ');
        String level = e.getLevel().toString();
        out.append(level);
        for (int i = level.length(); i < 5; i++) out.append(' ');
        String logger = e.getLoggerName();
        out.append(' ').append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(": ")
                .append(e.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
    }

    static String json(ILoggingEvent e) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(e.getTimeStamp()).toString());
            g.writeStringField("level", e.getLevel().toString());
            String logger = e.getLoggerName();
            g.writeStringField("logger", logger.substring(logger.lastIndexOf('.') + 1));
            g.writeStringField("thread", e.getThreadName());
            g.writeStringField("message", e.getFormattedMessage());
            if (e.getKeyValuePairs() != null) {
                for (KeyValuePair kv : e.getKeyValuePairs()) {
                    if (kv.key == null || kv.value == null) continue;
                    if (kv.value instanceof Number n) {
                        g.writeFieldName(kv.key);
                        if (n instanceof Long || n instanceof Integer) g.writeNumber(n.longValue());
                        else g.writeNumber(n.doubleValue());
                    } else {
                        g.writeStringField(kv.key, kv.value.toString());
                    }
                }
            }
            Map<String, String> mdc = e.getMDCPropertyMap();
            if (mdc != null) for (Map.Entry<String, String> m : mdc.entrySet()) g.writeStringField(m.getKey(), m.getValue());
            IThrowableProxy t = e.getThrowableProxy();
            if (t != null) g.writeStringField("exception", ThrowableProxyUtil.asString(t));
            g.writeEndObject();
        } catch (IOException ex) {
            return "{\"message\":\"log line could not be written as JSON\"}" + CoreConstants.LINE_SEPARATOR;
        }
        return w + CoreConstants.LINE_SEPARATOR;
    }
}
