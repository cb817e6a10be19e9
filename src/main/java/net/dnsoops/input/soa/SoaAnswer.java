package net.dnsoops.input.soa;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import net.dnsoops.core.AddressText;
import net.dnsoops.core.CheckResult;
import net.dnsoops.core.ServerSignals;
import net.dnsoops.input.probe.ExtendedErrors;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * Judges one SOA answer: only an authoritative NOERROR answer with the zone's SOA counts. An
 * error answer's failure text names its Extended DNS Errors, if any.
 */
final class SoaAnswer {
    private SoaAnswer() {
    }

    /** A success result, or a failure naming what was wrong with the answer. */
    static CheckResult judge(Name zone, Message response, InetSocketAddress server, boolean mustVerify) {
        int rcode = response.getRcode();
        String from = " from " + AddressText.of(server);
        if (rcode != Rcode.NOERROR) {
            TSIGRecord t = response.getTSIG();
            String tsig = t != null && t.getError() != Rcode.NOERROR ? "/" + Rcode.TSIGstring(t.getError()) : "";
            return CheckResult.failure(zone, Rcode.string(rcode) + tsig + from + extendedErrors(response));
        }
        if (mustVerify && !(response.isSigned() && response.isVerified())) {
            return CheckResult.failure(zone, "answer not signed with the zone's soa-key" + from);
        }
        if (!response.getHeader().getFlag(Flags.AA)) {
            return CheckResult.failure(zone, "answer not authoritative" + from);
        }
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() == Type.SOA && r.getName().equals(zone)) {
                SOARecord soa = (SOARecord) r;
                return CheckResult.success(zone, soa.getSerial(), soa.getRefresh(), soa.getRetry(), soa.getExpire(),
                        server);
            }
        }
        return CheckResult.failure(zone, "no SOA for " + zone + " in the answer" + from);
    }

    /** " (EDE 14 Not Ready: Zone is configured but not loaded)": why the server refused, in its own words. */
    private static String extendedErrors(Message response) {
        Map<Integer, String> codes = ExtendedErrors.of(response, List.of());
        if (codes.isEmpty()) return "";
        StringBuilder b = new StringBuilder(" (");
        codes.forEach((code, text) -> {
            if (b.length() > 2) b.append("; ");
            b.append("EDE ").append(code).append(' ').append(ServerSignals.edeName(code));
            if (!text.isEmpty()) b.append(": ").append(text);
        });
        return b.append(')').toString();
    }
}
