package net.dnsoops.input.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.dnsoops.core.CoreSink;
import net.dnsoops.testsupport.FakeCore;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;

/** Rise/fall of the server probe and EDE parsing, without a network. */
class ProbeTest {
    final List<String> events = new ArrayList<>();
    final CoreSink core = new FakeCore() {
        @Override
        public void serverHealth(String server, boolean up, Set<String> services, String detail) {
            events.add(server + (up ? " up " : " down ") + services);
        }
    };

    ProbeInput.Probe probe(int rise, int fall) {
        ProbeConfig c = new ProbeConfig();
        c.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5300);
        c.zone = Name.fromConstantString("a.test.");
        c.rise = rise;
        c.fall = fall;
        c.services = List.of("anycast");
        c.validate();
        return new ProbeInput.Probe(c, core);
    }

    @Test
    void riseAndFallCountConsecutiveProbes() {
        ProbeInput.Probe p = probe(2, 3);
        p.observe(null, "");
        assertEquals(List.of(), events, "one good probe is not enough");
        p.observe(null, "");
        assertEquals(List.of("127.0.0.1@5300 up [anycast]"), events);
        p.observe("timeout", "");
        p.observe("timeout", "");
        p.observe(null, ""); // resets the failure count
        p.observe("timeout", "");
        p.observe("timeout", "");
        assertEquals(1, events.size(), "never three failures in a row");
        p.observe("timeout", "");
        assertEquals(List.of("127.0.0.1@5300 up [anycast]", "127.0.0.1@5300 down [anycast]"), events);
        p.observe("timeout", "");
        assertEquals(2, events.size(), "down is said once");
    }

    @Test
    void anUnknownServerThatNeverAnswersIsDownAfterFall() {
        ProbeInput.Probe p = probe(2, 1);
        p.observe("REFUSED", "");
        assertEquals(List.of("127.0.0.1@5300 down [anycast]"), events);
    }

    @Test
    void extendedErrorsAreReadAndFilteredByCode() {
        Message m = new Message();
        m.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new ExtendedErrorCodeOption(20, ""),
                new ExtendedErrorCodeOption(18, "denied"))), Section.ADDITIONAL);
        assertEquals(Map.of(20, "", 18, "denied"), ExtendedErrors.of(m, List.of()));
        assertEquals(Map.of(18, "denied"), ExtendedErrors.of(m, List.of(18)));
        assertEquals(Map.of(), ExtendedErrors.of(new Message(), List.of()));
    }
}
