package net.dnsoops.input.probe;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/** Reads Extended DNS Error options (RFC 8914) out of an answer. */
public final class ExtendedErrors {
    private ExtendedErrors() {
    }

    /** code → text of every EDE option in {@code m}, restricted to {@code wanted} unless it is empty. */
    public static Map<Integer, String> of(Message m, Collection<Integer> wanted) {
        Map<Integer, String> out = new LinkedHashMap<>();
        OPTRecord opt = m.getOPT();
        if (opt == null) return out;
        for (EDNSOption o : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
            if (o instanceof ExtendedErrorCodeOption e && (wanted.isEmpty() || wanted.contains(e.getErrorCode()))) {
                out.put(e.getErrorCode(), e.getText() == null ? "" : e.getText());
            }
        }
        return out;
    }
}
