package net.dnsoops.input.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.daemon.Daemon;
import net.dnsoops.testsupport.ConditionRecorder;
import net.dnsoops.testsupport.DnsClient;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IXFR against real servers. Knot keeps a journal ({@code zonefile-load: difference},
 * {@code journal-content: changes}) and generates the ZONEMD: the first verification is an AXFR,
 * an update is then fetched by IXFR, applied to the kept copy and verifies (Knot's ZONEMD matches
 * the applied zone); an update whose ZONEMD Knot no longer generates (a wrong digest in the zone
 * file) arrives by IXFR and raises zone-invalid. NSD 4.6 answers IXFR for a zone it loaded from a
 * file with the whole zone: dns-oops takes it as an AXFR and says so. BIND with
 * {@code ixfr-from-differences yes} serves a reloaded zone file's difference by IXFR.
 */
class VerifyIxfrIT {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void updatesArriveByIxfrFromKnotAndBindAndAreVerifiedAndNsdFallsBackToAxfr() throws Exception {
        int notifyPort = FreePorts.next();
        int httpPort = FreePorts.next();
        String base = "http://127.0.0.1:" + httpPort;
        try (DnsServer knot = new DnsServer(DnsServer.Kind.KNOT, dir, notifyPort, DnsServer.Timers.DEFAULT, "ix.test.");
             DnsServer nsd = new DnsServer(DnsServer.Kind.NSD, dir, notifyPort, DnsServer.Timers.DEFAULT, "nsd-ix.test.");
             DnsServer bind = new DnsServer(DnsServer.Kind.BIND, dir, notifyPort, DnsServer.Timers.DEFAULT, "bind-ix.test.")) {
            Path conf = knot.base().resolve("knot.conf");
            String text = Files.readString(conf)
                    .replace("acl:\n", "acl:\n  - id: xfr\n    address: 127.0.0.1\n    action: transfer\n")
                    .replace("zonefile-load: whole", "zonefile-load: difference")
                    .replace("journal-content: none", "journal-content: changes")
                    .replace("acl: signed-queries", "acl: [signed-queries, xfr]\n    zonemd-generate: zonemd-sha384");
            assertTrue(text.contains("zonefile-load: difference") && text.contains("zonemd-generate"), text);
            Files.writeString(conf, text);
            Path nsdConf = nsd.base().resolve("nsd.conf");
            String nsdText = Files.readString(nsdConf).replace("zonefile: nsd-ix.test.zone\n",
                    "zonefile: nsd-ix.test.zone\n    provide-xfr: 127.0.0.1 NOKEY\n");
            assertTrue(nsdText.contains("provide-xfr"), nsdText);
            Files.writeString(nsdConf, nsdText);
            // BIND keeps the differences of reloaded zone files in its journal and serves IXFR from it.
            Path namedConf = bind.base().resolve("named.conf");
            String namedText = Files.readString(namedConf).replace("file \"bind-ix.test.zone\";",
                    "file \"bind-ix.test.zone\";\n    ixfr-from-differences yes;\n    allow-transfer { 127.0.0.1; };");
            assertTrue(namedText.contains("ixfr-from-differences"), namedText);
            Files.writeString(namedConf, namedText);
            knot.startUnchecked();
            nsd.start();
            bind.start();
            // Knot bumps the serial of a zone it adds a ZONEMD to.
            Eventually.await(Duration.ofSeconds(15), "Knot serving ix.test.",
                    () -> DnsClient.soaSerial(knot.address(), "ix.test.") == 2024010102L, knot::logTail);

            String json = "{ \"listen\": [\"127.0.0.1@" + notifyPort + "\"],"
                    + " \"zones\": { \"ix.test.\": { \"primaries\": [\"" + knot.primary() + "\"] },"
                    + "   \"nsd-ix.test.\": { \"primaries\": [\"" + nsd.primary() + "\"], \"group\": \"n\" },"
                    + "   \"bind-ix.test.\": { \"primaries\": [\"" + bind.primary() + "\"], \"group\": \"b\" } },"
                    + " \"http\": { \"listen\": [\"127.0.0.1@" + httpPort + "\"] },"
                    + " \"verify\": [ { \"zones\": [\"ix.test.\"], \"zonemd\": \"required\", \"require-valid\": true },"
                    + "   { \"zones\": [\"nsd-ix.test.\", \"bind-ix.test.\"] } ] }";
            ConditionRecorder rec = new ConditionRecorder();
            try (Daemon d = ConditionRecorder.start(dir.resolve("dns-oops"), json, rec)) {
                Eventually.await(Duration.ofSeconds(15), "zone-valid ix.test.", () -> raised(rec, ConditionType.ZONE_VALID) == 1,
                        rec::dump);
                Condition first = rec.first(c -> c.type() == ConditionType.ZONE_VALID && "ix.test.".equals(c.zone())).orElseThrow();
                assertTrue(first.detail().endsWith("transfer: axfr"), "nothing kept yet: AXFR\n" + first.detail());

                // Update 1: www changes; Knot journals the difference and re-generates the ZONEMD.
                Path file = knot.zoneFile("ix.test.");
                String v1 = Files.readString(file).replace("2024010101", "2024010110")
                        .replaceFirst("(?m)^www A\\s+127\\.0\\.0\\.1", "www A 127.0.0.2");
                assertTrue(v1.contains("127.0.0.2"), v1);
                Files.writeString(file, v1);
                knot.reload("ix.test.");
                long s1 = servedAfter(knot, 2024010102L);
                Eventually.await(Duration.ofSeconds(15), "ix.test. serial " + s1 + " verified",
                        () -> verdict(base, "ix.test.").path("serial").asLong() == s1, () -> status(base));
                JsonNode v = verdict(base, "ix.test.");
                assertTrue(v.path("valid").asBoolean(), v.toString());
                assertTrue(v.path("transfer").asText().startsWith("ixfr from serial 2024010102"), v.toString());
                assertEquals(1, metric(base, "dns_oops_verify_transfers_total{transfer=\"ixfr\"}"), 0.0);
                assertEquals(0, raised(rec, ConditionType.ZONE_INVALID), rec.dump());

                // Update 2: Knot stops generating the ZONEMD and serves the zone file's, whose digest is wrong.
                knot.knotc("conf-begin");
                knot.knotc("conf-set", "zone[ix.test.].zonemd-generate", "none");
                knot.knotc("conf-commit");
                long s2 = s1 + 10;
                String v2 = v1.replace("2024010110", Long.toString(s2)).replace("www A 127.0.0.2", "www A 127.0.0.3")
                        + "@ 60 ZONEMD " + s2 + " 1 1 " + "00".repeat(48) + "\n";
                Files.writeString(file, v2);
                knot.reload("ix.test.");
                assertEquals(s2, servedAfter(knot, s1));
                Eventually.await(Duration.ofSeconds(15), "zone-invalid ix.test.", () -> raised(rec, ConditionType.ZONE_INVALID) == 1,
                        rec::dump);
                Condition bad = rec.first(c -> c.type() == ConditionType.ZONE_INVALID && "ix.test.".equals(c.zone())).orElseThrow();
                assertEquals(s2, bad.serial());
                assertTrue(bad.detail().contains("ZONEMD digest") && bad.detail().contains("transfer: ixfr from serial " + s1),
                        bad.detail());
                assertEquals(2, metric(base, "dns_oops_verify_transfers_total{transfer=\"ixfr\"}"), 0.0);
                Eventually.await(Duration.ofSeconds(5), "service default not ready", () -> rec.count(c ->
                        c.type() == ConditionType.SERVICE_NOT_READY && c.raised() && "default".equals(c.service())) >= 1, rec::dump);

                // NSD: the second verification asks IXFR and gets the whole zone.
                Eventually.await(Duration.ofSeconds(15), "nsd-ix.test. verified",
                        () -> verdict(base, "nsd-ix.test.").path("valid").asBoolean(), () -> status(base));
                nsd.setSerial("nsd-ix.test.", 2024010102L);
                Eventually.await(Duration.ofSeconds(15), "nsd-ix.test. serial 2024010102 verified",
                        () -> verdict(base, "nsd-ix.test.").path("serial").asLong() == 2024010102L, () -> status(base));
                JsonNode n = verdict(base, "nsd-ix.test.");
                assertTrue(n.path("valid").asBoolean(), n.toString());
                assertEquals("axfr (server answered ixfr from serial 2024010101 with the whole zone)", n.path("transfer").asText());

                // BIND: a reloaded zone file becomes a journal entry, served by IXFR.
                Eventually.await(Duration.ofSeconds(15), "bind-ix.test. verified",
                        () -> verdict(base, "bind-ix.test.").path("valid").asBoolean(), () -> status(base));
                bind.setSerial("bind-ix.test.", 2024010102L);
                Eventually.await(Duration.ofSeconds(15), "bind-ix.test. serial 2024010102 verified",
                        () -> verdict(base, "bind-ix.test.").path("serial").asLong() == 2024010102L, () -> status(base));
                JsonNode b = verdict(base, "bind-ix.test.");
                assertTrue(b.path("valid").asBoolean(), b.toString());
                assertTrue(b.path("transfer").asText().startsWith("ixfr from serial 2024010101"), b.toString());
                assertEquals(3, metric(base, "dns_oops_verify_transfers_total{transfer=\"ixfr\"}"), 0.0);
            }
        }
    }

    private static long raised(ConditionRecorder rec, ConditionType type) {
        return rec.count(c -> c.type() == type && c.raised() && "ix.test.".equals(c.zone()));
    }

    /** Waits until the server serves a serial newer than {@code before} and returns it. */
    private static long servedAfter(DnsServer server, long before) {
        long[] now = {before};
        Eventually.await(Duration.ofSeconds(10), server.kind() + " serving a serial after " + before, () -> {
            now[0] = DnsClient.soaSerial(server.address(), "ix.test.");
            return now[0] > before;
        }, server::logTail);
        return now[0];
    }

    /** The verify input's last verdict for {@code zone} in GET /status. */
    private JsonNode verdict(String base, String zone) {
        try {
            for (JsonNode c : new ObjectMapper().readTree(status(base)).path("components")) {
                if (c.path("name").asText().equals("verify")) return c.path("zones").path(zone);
            }
        } catch (java.io.IOException e) {
            // not up yet: no verdict
        }
        return new ObjectMapper().createObjectNode();
    }

    private String status(String base) {
        return get(base + "/status");
    }

    private double metric(String base, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(get(base + "/metrics"));
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private String get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
