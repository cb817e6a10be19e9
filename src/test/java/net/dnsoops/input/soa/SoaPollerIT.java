package net.dnsoops.input.soa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.dnsoops.core.CheckRequest;
import net.dnsoops.core.CheckResult;
import net.dnsoops.testsupport.FakeCore;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;

/**
 * Verification queries against real primaries: failover, refusals (with their EDE), the global
 * rate cap, SERVFAIL, the TCP retry of a truncated answer, and TSIG-signed checks (verified
 * answers only; a wrong key is named; a forger's unsigned answer counts for nothing).
 */
class SoaPollerIT {
    @TempDir
    Path dir;
    DnsServer nsd;
    final FakeCore sink = new FakeCore();
    final List<CheckResult> results = sink.checks;

    @BeforeEach
    void startPrimary() throws Exception {
        nsd = DnsServer.start(DnsServer.Kind.NSD, dir, FreePorts.next(), "nsd.test.");
    }

    @AfterEach
    void stopPrimary() {
        nsd.close();
    }

    static InetSocketAddress deadPrimary() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.next()); // nobody listens
    }

    @Test
    void failsOverToTheNextPrimaryAndReportsTheVerifiedSoa() {
        SoaPoller p = new SoaPoller(100, 10);
        p.start(sink);
        p.requestCheck(new CheckRequest(Name.fromConstantString("NSD.test."), List.of(deadPrimary(), nsd.address()),
                Duration.ofMillis(300), 2, null));
        Eventually.await(Duration.ofSeconds(5), "check result", () -> results.size() == 1);
        CheckResult r = results.get(0);
        assertTrue(r.success(), r.failure());
        assertEquals(2024010101L, r.serial());
        assertEquals(3600, r.refresh());
        assertEquals(10, r.retry());
        assertEquals(86400, r.expire());
        assertEquals(nsd.address(), r.server());
        p.close();
    }

    @Test
    void aServerThatIsNotAuthoritativeForTheZoneFailsTheCheck() {
        SoaPoller p = new SoaPoller(100, 10);
        p.start(sink);
        p.requestCheck(new CheckRequest(Name.fromConstantString("other.test."), List.of(nsd.address()),
                Duration.ofMillis(500), 1, null));
        Eventually.await(Duration.ofSeconds(5), "check result", () -> results.size() == 1);
        assertFalse(results.get(0).success());
        assertTrue(results.get(0).failure().startsWith("REFUSED from 127.0.0.1@"), results.get(0).failure());
        // NSD 4.6 says why, now that the query carries EDNS: EDE 20, Not Authoritative.
        assertTrue(results.get(0).failure().endsWith(" (EDE 20 Not Authoritative)"), results.get(0).failure());
        assertEquals(List.of(new FakeCore.Ede("soa-check", nsd.primary(), Name.fromConstantString("other.test."),
                java.util.Map.of(20, ""))), sink.edes);
        p.close();
    }

    @Test
    void everyPrimaryDownIsAFailureNamingTheLastOne() {
        SoaPoller p = new SoaPoller(100, 10);
        p.start(sink);
        InetSocketAddress dead = deadPrimary();
        p.requestCheck(new CheckRequest(Name.fromConstantString("nsd.test."), List.of(dead), Duration.ofMillis(200), 2, null));
        Eventually.await(Duration.ofSeconds(5), "check result", () -> results.size() == 1);
        assertFalse(results.get(0).success());
        assertTrue(results.get(0).failure().contains("127.0.0.1@" + dead.getPort()), results.get(0).failure());
        p.close();
    }

    @Test
    void theGlobalRateCapSpreadsChecksOut() {
        SoaPoller p = new SoaPoller(20, 100);
        p.start(sink);
        long t0 = System.nanoTime();
        for (int i = 0; i < 21; i++) {
            p.requestCheck(new CheckRequest(Name.fromConstantString("nsd.test."), List.of(nsd.address()),
                    Duration.ofSeconds(1), 1, null));
        }
        Eventually.await(Duration.ofSeconds(10), "21 results", () -> results.size() == 21);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // 21 queries at 20/s cannot finish in under ~1 s (a 50 ms burst allowance aside).
        assertTrue(ms >= 900, "took only " + ms + " ms");
        assertTrue(results.stream().allMatch(CheckResult::success));
        p.close();
    }

    @Test
    void aPrimaryAnsweringServfailFailsTheCheckAndNamesIt() throws Exception {
        DnsServer bind = new DnsServer(DnsServer.Kind.BIND, dir, FreePorts.next(), DnsServer.Timers.DEFAULT, "broken.test.");
        java.nio.file.Files.writeString(bind.zoneFile("broken.test."), "this is not a zone file\n");
        try (bind) {
            bind.startUnchecked(); // BIND serves the zone it could not load with SERVFAIL
            SoaPoller p = new SoaPoller(100, 10);
            p.start(sink);
            p.requestCheck(new CheckRequest(Name.fromConstantString("broken.test."), List.of(bind.address()),
                    Duration.ofMillis(500), 1, null));
            Eventually.await(Duration.ofSeconds(5), "check result", () -> results.size() == 1);
            assertFalse(results.get(0).success());
            assertTrue(results.get(0).failure().startsWith("SERVFAIL from 127.0.0.1@"), results.get(0).failure());
            p.close();
        }
    }

    @Test
    void anAnswerTooBigForUdpIsAskedAgainOverTcp() throws Exception {
        DnsServer bind = new DnsServer(DnsServer.Kind.BIND, dir, FreePorts.next(), DnsServer.Timers.DEFAULT, "big.test.");
        // An SOA whose names cannot be compressed (about 560 bytes with our OPT) from a BIND that sends at most
        // 512 bytes over UDP: the UDP answer comes back truncated (TC, no SOA), checked with dig.
        String a = "a".repeat(63);
        String b = "b".repeat(63);
        java.nio.file.Files.writeString(bind.zoneFile("big.test."), "$TTL 60\n@ SOA " + a + "." + a + "." + a + "."
                + "a".repeat(50) + ".ex. " + b + "." + b + "." + b + "." + "b".repeat(50) + ".ex. 2024010101 3600 10 86400 60\n"
                + "  NS ns\nns A 127.0.0.1\n");
        Path conf = bind.base().resolve("named.conf");
        java.nio.file.Files.writeString(conf, java.nio.file.Files.readString(conf)
                .replace("recursion no;", "recursion no; max-udp-size 512;"));
        try (bind) {
            bind.start(); // waits until BIND serves the zone (a busy machine needs more than a moment)
            SoaPoller p = new SoaPoller(100, 10);
            p.start(sink);
            p.requestCheck(new CheckRequest(Name.fromConstantString("big.test."), List.of(bind.address()),
                    Duration.ofMillis(1000), 1, null));
            Eventually.await(Duration.ofSeconds(5), "check result", () -> results.size() == 1);
            assertTrue(results.get(0).success(), results.get(0).failure());
            assertEquals(2024010101L, results.get(0).serial());
            assertEquals(List.of(), sink.edes, "neither answer carried an EDE");
            p.close();
        }
    }

    static TSIG key(String name, String secret) {
        return new TSIG(TSIG.HMAC_SHA256, name, secret);
    }

    /** One check of nsd.test. with {@code key}: its result. */
    private CheckResult signedCheck(TSIG key, InetSocketAddress target) {
        SoaPoller p = new SoaPoller(100, 10);
        p.start(sink);
        try {
            p.requestCheck(new CheckRequest(Name.fromConstantString("nsd.test."), List.of(target),
                    Duration.ofMillis(500), 1, key));
            Eventually.await(Duration.ofSeconds(5), "check result", () -> results.size() == 1);
            return results.get(0);
        } finally {
            p.close();
        }
    }

    @Test
    void aSignedCheckCountsOnlyWithTheRealPrimarysVerifiedAnswer() {
        CheckResult r = signedCheck(key(DnsServer.TSIG_KEY, DnsServer.TSIG_SECRET), nsd.address());
        assertTrue(r.success(), r.failure());
        assertEquals(2024010101L, r.serial());
    }

    @Test
    void aWrongSecretOrAnUnknownKeyFailsTheCheckAndSaysWhy() {
        CheckResult wrong = signedCheck(key(DnsServer.TSIG_KEY, "c2VjcmV0IHRoYXQgaXMgbm90IHRoZSBzZXJ2ZXJzIQ=="),
                nsd.address());
        assertFalse(wrong.success());
        assertTrue(wrong.failure().startsWith("NOTAUTH/BADSIG from 127.0.0.1@"), wrong.failure());
        results.clear();
        CheckResult unknown = signedCheck(key("no-such-key", DnsServer.TSIG_SECRET), nsd.address());
        assertFalse(unknown.success());
        assertTrue(unknown.failure().startsWith("NOTAUTH/BADKEY from 127.0.0.1@"), unknown.failure());
    }

    /** An off-path forger who guessed ID and port, answering a signed query without the key. */
    @Test
    void anUnsignedAnswerToASignedQueryIsRefusedWhateverSerialItCarries() throws Exception {
        try (DatagramSocket forger = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try {
                    DatagramPacket in = new DatagramPacket(new byte[512], 512);
                    forger.receive(in);
                    Message q = new Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
                    assertTrue(q.isSigned() || q.getTSIG() != null, "the query is signed");
                    Message a = new Message(q.getHeader().getID());
                    a.getHeader().setFlag(Flags.QR);
                    a.getHeader().setFlag(Flags.AA);
                    a.addRecord(q.getQuestion(), Section.QUESTION);
                    a.addRecord(new SOARecord(Name.fromConstantString("nsd.test."), DClass.IN, 3600,
                            Name.fromConstantString("ns.nsd.test."), Name.fromConstantString("h.nsd.test."),
                            4000000000L, 3600, 10, 86400, 60), Section.ANSWER);
                    byte[] w = a.toWire();
                    forger.send(new DatagramPacket(w, w.length, in.getSocketAddress()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            CheckResult r = signedCheck(key(DnsServer.TSIG_KEY, DnsServer.TSIG_SECRET),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), forger.getLocalPort()));
            t.join(5_000);
            assertFalse(r.success(), "serial " + r.serial() + " taken from an unsigned answer");
            assertTrue(r.failure().startsWith("answer not signed with the zone's soa-key"), r.failure());
        }
    }
}
