package net.dnsoops.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.Instant;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The text line LogLayout writes itself is the line logback's pattern writes. */
class LogLayoutTest {
    private final TimeZone zone = TimeZone.getDefault();
    private final LogLayout.Format format = LogLayout.current();
    private final LoggerContext context = new LoggerContext();

    @AfterEach
    void restore() {
        TimeZone.setDefault(zone);
        LogLayout.use(format);
    }

    @Test
    void textLinesAreThoseOfThePatternInEveryLevelLoggerAndMillisecond() {
        for (String tz : new String[] {"UTC", "Europe/Prague", "America/St_Johns", "Asia/Kolkata"}) {
            TimeZone.setDefault(TimeZone.getTimeZone(tz));
            LogLayout.use(LogLayout.Format.TEXT);
            LogLayout fast = layout();
            PatternLayout pattern = pattern();
            long base = Instant.parse("2026-03-29T00:59:58Z").toEpochMilli(); // Prague's clock goes forward at 01:00Z
            for (long ms : new long[] {0, 7, 45, 999, 1000, 1001, 2000, 3_600_123}) {
                for (Level level : new Level[] {Level.TRACE, Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR}) {
                    for (String name : new String[] {"net.dnsoops.condition", "root", "a.b.C"}) {
                        LoggingEvent e = event(name, level, "zone {} at {}", new Object[] {"example.com.", ms}, null);
                        e.setTimeStamp(base + ms);
                        assertEquals(pattern.doLayout(e), fast.doLayout(e), tz + " " + level + " " + name + " +" + ms);
                    }
                }
            }
        }
    }

    @Test
    void aLineWithAnExceptionKeepsItsStackTrace() {
        LogLayout.use(LogLayout.Format.TEXT);
        LoggingEvent e = event("net.dnsoops.core.CoreLoop", Level.ERROR, "core event failed", null,
                new IllegalStateException("broken", new RuntimeException("cause")));
        String line = layout().doLayout(e);
        assertEquals(pattern().doLayout(e), line);
        assertEquals(true, line.contains("java.lang.IllegalStateException: broken") && line.contains("Caused by"), line);
    }

    private LoggingEvent event(String logger, Level level, String message, Object[] args, Throwable t) {
        Logger l = context.getLogger(logger);
        return new LoggingEvent(Logger.class.getName(), l, level, message, t, args);
    }

    private LogLayout layout() {
        LogLayout l = new LogLayout();
        l.setContext(context);
        l.start();
        return l;
    }

    private PatternLayout pattern() {
        PatternLayout p = new PatternLayout();
        p.setContext(context);
        p.setPattern(LogLayout.TEXT_PATTERN);
        p.start();
        return p;
    }
}
