package net.dnsoops.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** What a test needs to talk DNS: send a NOTIFY, ask for a SOA serial. */
public final class DnsClient {
    private DnsClient() {
    }

    public static Message notify(InetSocketAddress target, String zone, boolean tcp, InetAddress from) throws IOException {
        Message m = new Message();
        m.getHeader().setOpcode(Opcode.NOTIFY);
        m.getHeader().setFlag(Flags.AA);
        m.addRecord(Record.newRecord(Name.fromString(zone, Name.root), Type.SOA, DClass.IN), Section.QUESTION);
        SimpleResolver r = new SimpleResolver(target);
        r.setTCP(tcp);
        r.setTimeout(Duration.ofSeconds(2));
        if (from != null) r.setLocalAddress(new InetSocketAddress(from, 0));
        return r.send(m);
    }

    /** The zone's SOA serial as the server answers it, or -1 if it does not answer authoritatively. */
    public static long soaSerial(InetSocketAddress server, String zone) {
        try {
            SimpleResolver r = new SimpleResolver(server);
            r.setTimeout(Duration.ofMillis(500));
            Message q = Message.newQuery(Record.newRecord(Name.fromString(zone, Name.root), Type.SOA, DClass.IN));
            Message a = r.send(q);
            if (!a.getHeader().getFlag(Flags.AA)) return -1;
            for (Record rec : a.getSection(Section.ANSWER)) {
                if (rec instanceof SOARecord soa) return soa.getSerial();
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
