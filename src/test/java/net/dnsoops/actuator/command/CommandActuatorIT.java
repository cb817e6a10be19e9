package net.dnsoops.actuator.command;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import net.dnsoops.testsupport.BirdLab;
import net.dnsoops.testsupport.DnsOopsProcess;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.FreePort;
import net.dnsoops.testsupport.GobgpLab;
import net.dnsoops.testsupport.ManagedProcess;
import net.dnsoops.testsupport.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command actuator driving a real GoBGP with the documented "gobgp global rib add|del"
 * templates: GoBGP → edge BIRD → upstream BIRD, with a real NSD primary.
 */
@Timeout(120)
class CommandActuatorIT {
    static final String V4 = "198.51.100.7/32";

    @TempDir
    Path tmp;
    BirdLab lab;
    ManagedProcess gobgpd;
    DnsServer nsd;
    DnsOopsProcess oops;

    @AfterEach
    void stop() {
        if (oops != null) {
            oops.close();
            System.err.println("---- dns-oops log ----\n" + oops.log());
        }
        if (gobgpd != null) gobgpd.close();
        if (nsd != null) nsd.close();
        if (lab != null) lab.close();
    }

    @Test
    void gobgpAnnouncesWithdrawsOnExpiryRecoversAfterRestartAndWithdrawsOnSigterm() throws Exception {
        GobgpLab gobgp = new GobgpLab(tmp.resolve("gobgp"));
        lab = new BirdLab(tmp.resolve("bird"), 0, gobgp.port).start();
        gobgpd = gobgp.start(lab);
        Wait.until("GoBGP session with the edge", Duration.ofSeconds(30), lab::gobgpEstablished);

        int oopsPort = FreePort.on("127.0.0.1");
        nsd = new DnsServer(DnsServer.Kind.NSD, tmp.resolve("t"), oopsPort, new DnsServer.Timers(1, 1, 4), "svc.test.");
        nsd.start();
        String cli = gobgp.cli().stream().map(a -> '"' + a + '"').collect(Collectors.joining(", "));
        Path control = tmp.resolve("t"); // short: unix socket paths are cut at 107 bytes
        oops = DnsOopsProcess.start(tmp.resolve("t"), """
                {
                  "listen": ["127.0.0.1@%1$d"],
                  "control-socket": "%2$s/control.sock",
                  "drain-file": "%3$s/drained",
                  "defaults": { "min-refresh": "1s", "min-retry": "500ms", "min-expire": "1s",
                                "initial-retry": "500ms", "soa-timeout": "300ms", "soa-tries": 1,
                                "refresh-failures": 1, "jitter": 0 },
                  "zones": { "svc.test.": { "primaries": ["%4$s"], "last-octet": 7 } },
                  "services": { "dns": { "zones": ["svc.test."], "prefixes": ["198.51.100.{last-octet}/32"] } },
                  "command": {
                    "announce": [%5$s, "global", "rib", "add", "{prefix}", "-a", "{family}"],
                    "withdraw": [%5$s, "global", "rib", "del", "{prefix}", "-a", "{family}"],
                    "resync": "1s", "timeout": "5s"
                  }
                }
                """.formatted(oopsPort, control, tmp.resolve("t"), nsd.primary(), cli));
        lab.awaitUpstream(V4, true, Duration.ofSeconds(30));
        nsd.stop();
        lab.awaitUpstream(V4, false, Duration.ofSeconds(15)); // expired after 4 s
        nsd.start();
        lab.awaitUpstream(V4, true, Duration.ofSeconds(15));

        gobgpd.close(); // a restarted GoBGP has an empty RIB: the resync puts the route back
        lab.awaitUpstream(V4, false, Duration.ofSeconds(15));
        gobgpd = gobgp.start(lab);
        lab.awaitUpstream(V4, true, Duration.ofSeconds(30));

        assertTrue(oops.terminate(Duration.ofSeconds(20)));
        assertTrue(oops.log().contains("every route withdrawn and confirmed"), oops.log());
        lab.awaitUpstream(V4, false, Duration.ofSeconds(2));
    }
}
