package net.dnsoops.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.dnsoops.core.AddressPrefix;
import net.dnsoops.core.AddressText;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Parsers for the config's value syntaxes; each throws IllegalArgumentException with a reason. */
public final class ConfigValues {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d|w)?");

    private ConfigValues() {
    }

    /** "addr@port", "[v6]@port", "v6@port" or a bare address with {@code defaultPort}. No host names. */
    public static InetSocketAddress addressAndPort(String s, int defaultPort) {
        String t = s.trim();
        int at = t.lastIndexOf('@');
        String host = at < 0 ? t : t.substring(0, at);
        int port = defaultPort;
        if (at >= 0) {
            try {
                port = Integer.parseInt(t.substring(at + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in '" + s + "' (expected addr@port)");
            }
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " out of range in '" + s + "'");
        }
        InetAddress a = AddressPrefix.literal(host);
        return new InetSocketAddress(a, port);
    }

    /** "30s", "5m", "1h", "2d", "1w", "250ms", or a plain number of seconds. */
    public static Duration duration(String s) {
        Matcher m = DURATION.matcher(s.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a duration (e.g. 500ms, 10s, 5m, 1h, 1d, 1w)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        long ms = switch (unit) {
            case "ms" -> (long) v;
            case "s" -> (long) (v * 1000);
            case "m" -> (long) (v * 60_000);
            case "h" -> (long) (v * 3_600_000);
            case "d" -> (long) (v * 86_400_000);
            default -> (long) (v * 604_800_000);
        };
        return Duration.ofMillis(ms);
    }

    /** An absolute, lower-case zone name; "example.com" and "Example.COM." are the same zone. */
    public static Name zoneName(String s) {
        try {
            Name n = Name.fromString(s.trim(), Name.root);
            return n.canonicalize();
        } catch (TextParseException e) {
            throw new IllegalArgumentException("'" + s + "' is not a domain name: " + e.getMessage());
        }
    }

    /** Text form of a socket address as the config writes it: addr@port. */
    public static String format(InetSocketAddress a) {
        return AddressText.of(a);
    }
}
