package net.dnsoops.input.probe;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/** Reads Extended DNS Error options (RFC 8914) out of an answer; used by the probe and the SOA checks. */
public final class ExtendedErrors {
    /** EXTRA-TEXT is free-form from the server: longer text is cut so a log line or hook argument stays sane. */
    static final int MAX_TEXT = 200;

    private ExtendedErrors() {
    }

    /**
     * code → text of every EDE option in {@code m}, restricted to {@code wanted} unless it is empty.
     * An answer without OPT or without EDE gets the shared empty map: nothing allocated.
     */
    public static Map<Integer, String> of(Message m, Collection<Integer> wanted) {
        OPTRecord opt = m.getOPT();
        if (opt == null) return Map.of();
        List<EDNSOption> options = opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
        if (options.isEmpty()) return Map.of();
        Map<Integer, String> out = new LinkedHashMap<>();
        for (EDNSOption o : options) {
            if (o instanceof ExtendedErrorCodeOption e && (wanted.isEmpty() || wanted.contains(e.getErrorCode()))) {
                out.putIfAbsent(e.getErrorCode(), printable(e.getText()));
            }
        }
        return out;
    }

    /** The server's text with control characters (a newline would forge a log line) made visible, and bounded. */
    static String printable(String text) {
        if (text == null || text.isEmpty()) return "";
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_TEXT));
        for (int i = 0; i < text.length() && b.length() < MAX_TEXT; i++) {
            char c = text.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }
}
