package net.dnsoops.input.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import net.dnsoops.core.CoreSink;
import net.dnsoops.core.VerifyRequester;
import net.dnsoops.testsupport.FakeCore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** A reload of "verify", zone by zone: what the core is offered again and what it is told to forget. */
class VerifyReloadTest {
    final List<String> told = new CopyOnWriteArrayList<>();
    final CoreSink core = new FakeCore() {
        @Override
        public void registerVerifier(Set<Name> zones, boolean gate, VerifyRequester verifier) {
            told.add("verify " + sorted(zones) + (gate ? " gated" : ""));
        }

        @Override
        public void verifyRemoved(Set<Name> zones) {
            told.add("removed " + sorted(zones));
        }
    };
    VerifyInput input;

    static String sorted(Set<Name> zones) {
        return new TreeSet<>(zones.stream().map(Name::toString).toList()).toString();
    }

    static VerifyConfig verify(String zonemd, boolean requireValid, String... zones) {
        VerifyConfig c = new VerifyConfig();
        c.zones = java.util.Arrays.stream(zones).map(Name::fromConstantString).toList();
        c.zonemd = zonemd;
        c.requireValid = requireValid;
        c.validate();
        return c;
    }

    @AfterEach
    void close() {
        input.close();
    }

    @Test
    void changedZonesAreOfferedAgainRemovedOnesForgottenAndUnchangedOnesLeftAlone() {
        input = new VerifyInput(List.of(verify("if-present", false, "a.test.", "b.test."), verify("off", true, "c.test.")),
                Map.of(), Clock.systemUTC());
        input.start(core);
        assertEquals(List.of("verify [a.test., b.test.]", "verify [c.test.] gated"), told);
        told.clear();

        // a: zonemd now required; b: gone; c: same settings (its entry also gains d).
        boolean still = input.reconfigure(List.of(verify("required", false, "a.test."),
                verify("off", true, "c.test.", "d.test.")), Map.of());

        assertEquals(true, still);
        assertEquals("removed [b.test.]", told.get(0), "forgotten before anything is offered");
        assertEquals(List.of("removed [b.test.]", "verify [a.test.]", "verify [d.test.] gated"), told.stream().sorted().toList(),
                "c.test. keeps its verdict and is not transferred again");
        told.clear();
        assertEquals(false, input.reconfigure(List.of(), Map.of()));
        assertEquals(List.of("removed [a.test., c.test., d.test.]"), told);
    }
}
