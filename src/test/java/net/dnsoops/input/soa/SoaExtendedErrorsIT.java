package net.dnsoops.input.soa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.daemon.Daemon;
import net.dnsoops.testsupport.ConditionRecorder;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/**
 * Extended DNS Errors (RFC 8914) in the answers to dns-oops's own SOA checks, from real servers
 * (checked with dig first): NSD 4.6 answers a zone it is configured for but could not load with
 * SERVFAIL + EDE 14 "Not Ready", text "Zone is configured but not loaded"; BIND 9.18 answers a
 * zone whose allow-query denies us with REFUSED + EDE 18 "Prohibited", TSIG-signed when asked
 * with a key. Each raises "ede" at an actuator, runs the hook filtered by that code and not the
 * one filtered by another, and clears once the server answers without it.
 */
class SoaExtendedErrorsIT {
    @TempDir
    Path dir;

    static final String HOOK = Paths.get("test-zones/hooks/record").toAbsolutePath().toString();

    /** A hook on every edge of "ede", restricted to {@code code}, recording into {@code file}. */
    static String hook(int code, Path file) {
        return "{ \"on\": [\"ede:any\"], \"ede-codes\": [" + code + "], \"retries\": 0, \"command\": [\"" + HOOK + "\", \""
                + file + "\", \"{state}\", \"{code}\", \"{code-name}\", \"{zone}\", \"{source}\", \"{text}\"] }";
    }

    String config(int listen, String zones, String extra, Path wanted, Path other, int wantedCode, int otherCode) {
        return "{ \"listen\": [\"127.0.0.1@" + listen + "\"],"
                + " \"control-socket\": \"" + dir.resolve("control.sock") + "\", \"drain-file\": \"" + dir.resolve("drained") + "\","
                + extra + " \"zones\": " + zones + ","
                + " \"hooks\": [" + hook(wantedCode, wanted) + ", " + hook(otherCode, other) + "] }";
    }

    /** The server's RCODE for the zone's SOA, or -1 while it does not answer (still starting). */
    static int rcode(DnsServer server, String zone) {
        try {
            org.xbill.DNS.SimpleResolver r = new org.xbill.DNS.SimpleResolver(server.address());
            r.setTimeout(Duration.ofMillis(300));
            return r.send(org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(Name.fromString(zone),
                    org.xbill.DNS.Type.SOA, org.xbill.DNS.DClass.IN))).getRcode();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    static List<String> lines(Path f) {
        try {
            return Files.exists(f) ? Files.readAllLines(f) : List.of();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void nsdNotReadyRaisesEde14AndItClearsOnceTheZoneLoads() throws Exception {
        int listen = FreePorts.next();
        Path wanted = dir.resolve("hook-14.txt");
        Path other = dir.resolve("hook-18.txt");
        try (DnsServer nsd = new DnsServer(DnsServer.Kind.NSD, dir, listen, DnsServer.Timers.DEFAULT, "nsd.test.")) {
            Files.delete(nsd.zoneFile("nsd.test.")); // configured, not loadable: SERVFAIL + EDE 14
            nsd.startUnchecked();
            Eventually.await(Duration.ofSeconds(10), "NSD answering SERVFAIL",
                    () -> rcode(nsd, "nsd.test.") == org.xbill.DNS.Rcode.SERVFAIL, nsd::logTail);
            String zones = "{ \"nsd.test.\": { \"primaries\": [\"" + nsd.primary() + "\"] } }";
            ConditionRecorder rec = new ConditionRecorder();
            try (Daemon d = ConditionRecorder.start(dir.resolve("dns-oops"), config(listen, zones, "", wanted, other, 14, 18), rec)) {
                Eventually.await(Duration.ofSeconds(10), "ede raised", () -> rec.count("ede", true) == 1, rec::dump);
                Condition ede = rec.first(c -> c.type() == ConditionType.EDE).orElseThrow();
                assertEquals("14", ede.fields().get("code"), rec.dump());
                assertEquals("Not Ready", ede.fields().get("code-name"));
                assertEquals("Zone is configured but not loaded", ede.fields().get("text"));
                assertEquals("nsd.test.", ede.zone());
                assertEquals(nsd.primary(), ede.source());
                Eventually.await(Duration.ofSeconds(5), "the code-14 hook ran", () -> lines(wanted).size() == 1);
                assertEquals("raised 14 Not Ready nsd.test. " + nsd.primary() + " Zone is configured but not loaded",
                        lines(wanted).get(0));
                Condition failed = rec.first(c -> c.type() == ConditionType.ZONE_REFRESH_FAILED).orElse(null);
                if (failed != null) assertTrue(failed.detail().contains("EDE 14 Not Ready"), failed.detail());

                nsd.setSerial("nsd.test.", 2024010102L); // the file appears, NSD loads it and notifies us
                Eventually.await(Duration.ofSeconds(10), "ede cleared", () -> rec.count("ede", false) == 1, rec::dump);
                Condition cleared = rec.first(c -> c.type() == ConditionType.EDE && !c.raised()).orElseThrow();
                assertEquals("14", cleared.fields().get("code"));
                assertEquals(nsd.primary(), cleared.source());
                Eventually.await(Duration.ofSeconds(5), "the code-14 hook ran on clearing", () -> lines(wanted).size() == 2);
                assertTrue(lines(wanted).get(1).startsWith("cleared 14 Not Ready nsd.test. "), lines(wanted).toString());
                assertEquals(1, rec.count("zone-ready", true), rec.dump());
                assertEquals(1, rec.count("ede", true), "raised once, not per answer\n" + rec.dump());
                assertEquals(List.of(), lines(other), "the hook for code 18 never ran");
            }
        }
    }

    @Test
    void bindProhibitedRaisesEde18OverTsigAndItClearsWhenAllowQueryIsLifted() throws Exception {
        int listen = FreePorts.next();
        Path wanted = dir.resolve("hook-18.txt");
        Path other = dir.resolve("hook-22.txt");
        String zone = "bind-tsig.test.";
        try (DnsServer bind = new DnsServer(DnsServer.Kind.BIND, dir, listen, DnsServer.Timers.DEFAULT, zone)) {
            Path conf = bind.base().resolve("named.conf");
            String open = Files.readString(conf);
            Files.writeString(conf, open.replace("type primary;", "type primary; allow-query { none; };"));
            bind.startUnchecked();
            Eventually.await(Duration.ofSeconds(10), "BIND answering REFUSED",
                    () -> rcode(bind, zone) == org.xbill.DNS.Rcode.REFUSED, bind::logTail);
            String keys = " \"keys\": { \"" + DnsServer.TSIG_KEY + "\": { \"algorithm\": \"hmac-sha256\", \"secret\": \""
                    + DnsServer.TSIG_SECRET + "\" } },";
            String zones = "{ \"" + zone + "\": { \"primaries\": [\"" + bind.primary() + "\"], \"soa-key\": \""
                    + DnsServer.TSIG_KEY + "\" } }";
            ConditionRecorder rec = new ConditionRecorder();
            try (Daemon d = ConditionRecorder.start(dir.resolve("dns-oops"), config(listen, zones, keys, wanted, other, 18, 22), rec)) {
                Eventually.await(Duration.ofSeconds(10), "ede raised", () -> rec.count("ede", true) == 1, rec::dump);
                Condition ede = rec.first(c -> c.type() == ConditionType.EDE).orElseThrow();
                assertEquals("18", ede.fields().get("code"), rec.dump());
                assertEquals("Prohibited", ede.fields().get("code-name"));
                assertEquals("", ede.fields().get("text")); // BIND 9.18 sends no EXTRA-TEXT here
                assertEquals(zone, ede.zone());
                assertEquals(bind.primary(), ede.source());
                Eventually.await(Duration.ofSeconds(5), "the code-18 hook ran", () -> lines(wanted).size() == 1);
                assertTrue(lines(wanted).get(0).startsWith("raised 18 Prohibited " + zone + " " + bind.primary()),
                        lines(wanted).toString());
                assertEquals(0, rec.count("zone-ready", true), "a refused check verifies nothing\n" + rec.dump());

                Files.writeString(conf, open);
                bind.reconfigure();
                assertTrue(d.core().refresh(Name.fromConstantString(zone)).get());
                Eventually.await(Duration.ofSeconds(10), "ede cleared and the zone ready via a signed SOA check",
                        () -> rec.count("ede", false) == 1 && rec.count("zone-ready", true) == 1, rec::dump);
                assertEquals("18", rec.first(c -> c.type() == ConditionType.EDE && !c.raised()).orElseThrow().fields().get("code"));
                Eventually.await(Duration.ofSeconds(5), "the code-18 hook ran on clearing", () -> lines(wanted).size() == 2);
                assertFalse(Files.exists(other) && !lines(other).isEmpty(), "the hook for code 22 never ran");
            }
        }
    }
}
