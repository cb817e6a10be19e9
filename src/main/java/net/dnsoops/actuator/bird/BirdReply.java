package net.dnsoops.actuator.bird;

import java.util.ArrayList;
import java.util.List;

/**
 * One reply of BIRD's control socket. BIRD answers with lines "DDDD-text" (more follows),
 * " text" (continuation of the previous code) and finally "DDDD text". Codes 0xxx are success,
 * 1xxx table rows, 2xxx headings, 8xxx runtime errors and 9xxx parse errors. Lines starting with
 * "+" are asynchronous messages and not part of any reply.
 */
public record BirdReply(List<Line> lines) {
    public record Line(int code, String text) {
    }

    /** The final line's code. */
    public int code() {
        return lines.get(lines.size() - 1).code();
    }

    public boolean ok() {
        return code() < 8000;
    }

    /** The final line's text. */
    public String text() {
        return lines.get(lines.size() - 1).text();
    }

    /** Collects lines until a reply is complete; feed it one line at a time (without newline). */
    public static final class Collector {
        private final List<Line> lines = new ArrayList<>();
        private int lastCode = -1;

        /** Returns the reply when {@code raw} was its final line, else null. */
        public BirdReply add(String raw) {
            if (raw.startsWith("+")) return null; // spontaneous output
            if (raw.length() >= 5 && isCode(raw) && (raw.charAt(4) == ' ' || raw.charAt(4) == '-')) {
                lastCode = Integer.parseInt(raw.substring(0, 4));
                lines.add(new Line(lastCode, raw.substring(5)));
                if (raw.charAt(4) == ' ') {
                    BirdReply r = new BirdReply(List.copyOf(lines));
                    lines.clear();
                    lastCode = -1;
                    return r;
                }
                return null;
            }
            // continuation line: " text" carries on the previous code
            lines.add(new Line(lastCode, raw.startsWith(" ") ? raw.substring(1) : raw));
            return null;
        }

        private static boolean isCode(String raw) {
            for (int i = 0; i < 4; i++) if (!Character.isDigit(raw.charAt(i))) return false;
            return true;
        }
    }

    /**
     * The prefixes listed by "show route ...": the first word of each table row (code 1007) that
     * looks like a prefix. Rows of a second route for the same prefix start with blanks and
     * carry no prefix; they are skipped.
     */
    public List<String> routePrefixes() {
        List<String> out = new ArrayList<>();
        for (Line l : lines) {
            if (l.code() != 1007) continue;
            String t = l.text();
            if (t.isEmpty() || Character.isWhitespace(t.charAt(0))) continue;
            String first = t.split("\\s+", 2)[0];
            if (first.contains("/")) out.add(first);
        }
        return out;
    }
}
