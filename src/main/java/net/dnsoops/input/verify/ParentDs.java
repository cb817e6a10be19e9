package net.dnsoops.input.verify;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** Asks a parent zone's server for a zone's DS RRset (trust-anchor "parent"). */
final class ParentDs {
    private ParentDs() {
    }

    /** The DS records of {@code zone} in {@code parent}'s answer (maybe none); IOException if there is no usable answer. */
    static List<DSRecord> query(Name zone, InetSocketAddress parent, Duration timeout) throws IOException {
        SimpleResolver r = new SimpleResolver(parent);
        r.setTimeout(timeout);
        Message answer = r.send(Message.newQuery(Record.newRecord(zone, Type.DS, DClass.IN)));
        if (answer.getRcode() != Rcode.NOERROR) {
            throw new IOException("the parent answered " + Rcode.string(answer.getRcode()) + " to the DS query");
        }
        List<DSRecord> out = new ArrayList<>();
        for (Record rr : answer.getSection(Section.ANSWER)) {
            if (rr instanceof DSRecord d && d.getName().equals(zone)) out.add(d);
        }
        return out;
    }
}
