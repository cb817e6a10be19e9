package net.dnsoops.input.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import net.dnsoops.core.CoreSink;
import net.dnsoops.testsupport.FakeCore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/**
 * A reload of "dnssec", zone by zone at each server, without a server: checks run once an hour
 * here and the first one fails (nobody answers), which reports nothing.
 */
class DnssecReloadTest {
    final List<String> told = new CopyOnWriteArrayList<>();
    final CoreSink core = new FakeCore() {
        @Override
        public void dnssecRemoved(String server, Name zone) {
            told.add("removed " + server + " " + zone);
        }
    };
    DnssecInput input;

    static DnssecConfig dnssec(Duration warning, String... zones) {
        DnssecConfig c = new DnssecConfig();
        c.name = "ns";
        c.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
        c.zones = java.util.Arrays.stream(zones).map(Name::fromConstantString).toList();
        c.interval = Duration.ofHours(1);
        c.timeout = Duration.ofMillis(100);
        c.warning = warning;
        c.validate();
        return c;
    }

    @AfterEach
    void close() {
        input.close();
    }

    @Test
    void theZoneListOnlyGroupsChecksAChangedWarningReplacesThemARemovedZoneIsCleared() {
        Duration day = Duration.ofDays(1);
        input = new DnssecInput(List.of(dnssec(day, "a.test.", "b.test.")), Map.of());
        input.start(core);
        DnssecInput.Check a = input.check("ns a.test.");

        input.reconfigure(List.of(dnssec(day, "a.test.", "c.test.")), Map.of());
        assertSame(a, input.check("ns a.test."), "a zone added next to it does not change a.test.'s check");
        assertNotNull(input.check("ns c.test."));
        assertNull(input.check("ns b.test."));
        assertEquals(List.of("removed ns b.test."), told);

        input.reconfigure(List.of(dnssec(Duration.ofDays(7), "a.test.", "c.test.")), Map.of());
        assertNotSame(a, input.check("ns a.test."), "a new warning: checked again at once under it");
        assertEquals(1, told.size());
    }
}
