package net.dnsoops.input.soa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/**
 * RFC 5452 against a real primary that is not on this host: NSD in a network namespace of the
 * test's own, reached over a veth pair. A forger inside that namespace first watches which
 * source ports SOA queries come from (as an attacker who saw or guessed them once), then, with
 * NSD stopped (SIGSTOP) so no real answer comes, floods forged answers carrying another serial
 * from the primary's address and port to each of those ports with every ID in turn.
 *
 * <p>With a socket per query (what dns-oops does for a primary off this host) no forged answer is
 * accepted. The same flood against long-lived pooled sockets (what it still does for loopback
 * primaries, and did for every primary) gets a forged serial accepted within seconds: that run
 * shows the forger works. Needs root (ip netns, raw sockets); skipped otherwise.
 */
@Timeout(120)
class SoaSpoofIT {
    private static final Name ZONE = Name.fromConstantString("spoof.test.");
    private static final long REAL = 100;
    private static final long FORGED = 4_000_000_000L;
    private static final Duration FLOOD = Duration.ofSeconds(6);

    @TempDir
    static Path dir;
    static String ns;
    static String hostIf;
    static String primary;
    static String secondary;
    static Process nsd;

    @BeforeAll
    static void primaryInANamespace() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (ip netns, raw sockets)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nsd")) && Files.isExecutable(Path.of("/usr/bin/python3")),
                "needs nsd and /usr/bin/python3");
        int n = ThreadLocalRandom.current().nextInt(10_000, 100_000);
        int net = ThreadLocalRandom.current().nextInt(0, 64) * 4;
        ns = "spoof" + n;
        hostIf = "sph" + n;
        String nsIf = "spn" + n;
        secondary = "10.254." + (n % 250) + "." + (net + 1);
        primary = "10.254." + (n % 250) + "." + (net + 2);
        assumeTrue(sh("ip", "netns", "add", ns) == 0, "cannot create a network namespace here");
        must("ip", "link", "add", hostIf, "type", "veth", "peer", "name", nsIf);
        must("ip", "link", "set", nsIf, "netns", ns);
        must("ip", "addr", "add", secondary + "/30", "dev", hostIf);
        must("ip", "link", "set", hostIf, "up");
        must("ip", "netns", "exec", ns, "ip", "addr", "add", primary + "/30", "dev", nsIf);
        must("ip", "netns", "exec", ns, "ip", "link", "set", nsIf, "up");
        must("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        Files.writeString(dir.resolve("spoof.test.zone"), """
                $TTL 3600
                @ IN SOA ns.spoof.test. admin.spoof.test. %d 3600 600 86400 300
                @ IN NS ns.spoof.test.
                ns IN A %s
                """.formatted(REAL, primary));
        Files.writeString(dir.resolve("nsd.conf"), """
                server:
                    ip-address: %1$s
                    do-ip6: no
                    username: ""
                    chroot: ""
                    zonesdir: "%2$s"
                    database: ""
                    pidfile: "%2$s/nsd.pid"
                    xfrdfile: "%2$s/xfrd.state"
                    zonelistfile: "%2$s/zone.list"
                    server-count: 1
                    logfile: "%2$s/nsd.log"
                remote-control:
                    control-enable: no
                zone:
                    name: spoof.test.
                    zonefile: spoof.test.zone
                """.formatted(primary, dir));
        nsd = new ProcessBuilder("ip", "netns", "exec", ns, "/usr/sbin/nsd", "-d", "-c", dir.resolve("nsd.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nsd.out").toFile()).start();
    }

    @AfterAll
    static void removeNamespace() throws Exception {
        if (nsd != null) {
            List<ProcessHandle> tree = nsd.descendants().toList();
            signal("CONT");
            nsd.destroy();
            if (!nsd.waitFor(5, TimeUnit.SECONDS)) nsd.destroyForcibly();
            for (ProcessHandle h : tree) h.destroyForcibly();
        }
        if (ns != null) {
            sh("ip", "link", "del", hostIf);
            sh("ip", "netns", "del", ns);
        }
    }

    @Test
    void aSocketPerQueryAcceptsNoForgedAnswer() throws Exception {
        Race r = race(new UdpSoaClient());
        assertEquals(0, r.forged(), r.toString());
        assertTrue(r.learnedPorts() > 8, "the forger saw the queries' ports: " + r);
    }

    @Test
    void longLivedSocketsForARemotePrimaryFallForTheSameFlood() throws Exception {
        Race r = race(new UdpSoaClient(a -> false));
        assertTrue(r.forged() > 0, "the forger's flood works against the pooled sockets: " + r);
    }

    record Race(int realAnswers, int learnedPorts, long sent, int forged, int timeouts, long firstForgedMs) {
    }

    /** Learning queries answered by NSD, then NSD stopped and the flood raced against fresh queries. */
    private Race race(UdpSoaClient client) throws Exception {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(primary), 53);
        Process forger = new ProcessBuilder("ip", "netns", "exec", ns, "/usr/bin/python3",
                Path.of("src/test/resources/soa-forger.py").toAbsolutePath().toString(),
                "spn" + hostIf.substring(3), primary, secondary, ZONE.toString(), Long.toString(FORGED))
                .redirectError(dir.resolve("forger.err").toFile()).start();
        BufferedReader said = new BufferedReader(new InputStreamReader(forger.getInputStream(), StandardCharsets.UTF_8));
        OutputStream tell = forger.getOutputStream();
        try (client) {
            assertEquals("ready", said.readLine(), () -> read("forger.err"));
            // NSD up (it may still be loading): queries until 200 real answers came
            AtomicInteger real = new AtomicInteger();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (real.get() < 200 && System.nanoTime() < until) {
                for (int i = 0; i < 20; i++) {
                    try {
                        SoaReply reply = client.query(ZONE, target, Duration.ofSeconds(1)).get(2, TimeUnit.SECONDS);
                        if (serial(reply, target) == REAL) real.incrementAndGet();
                    } catch (java.util.concurrent.ExecutionException timeout) {
                        // NSD still starting
                    }
                }
            }
            assertTrue(real.get() >= 200, "NSD in the namespace answered: " + read("nsd.out") + read("nsd.log"));
            tell.write("learn\n".getBytes(StandardCharsets.US_ASCII));
            tell.flush();
            String learned = said.readLine();
            assertTrue(learned != null && learned.startsWith("learned "), learned + read("forger.err"));
            int ports = learned.split(" ").length - 1;

            signal("STOP"); // no real answer from now on
            tell.write(("flood " + FLOOD.toSeconds() + "\n").getBytes(StandardCharsets.US_ASCII));
            tell.flush();
            AtomicInteger forged = new AtomicInteger();
            AtomicInteger timeouts = new AtomicInteger();
            ConcurrentLinkedQueue<Long> forgedAt = new ConcurrentLinkedQueue<>();
            Semaphore inFlight = new Semaphore(64);
            long start = System.nanoTime();
            long end = start + FLOOD.toNanos();
            while (System.nanoTime() < end) {
                if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) continue;
                client.query(ZONE, target, Duration.ofSeconds(1)).whenComplete((reply, error) -> {
                    if (error != null) {
                        timeouts.incrementAndGet();
                    } else if (serial(reply, target) != REAL) {
                        forged.incrementAndGet();
                        forgedAt.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    }
                    inFlight.release();
                });
            }
            inFlight.acquire(64); // every query answered or timed out
            String sent = said.readLine();
            assertTrue(sent != null && sent.startsWith("sent "), sent + read("forger.err"));
            signal("CONT");
            Race r = new Race(real.get(), ports, Long.parseLong(sent.substring(5)), forged.get(), timeouts.get(),
                    forgedAt.isEmpty() ? -1 : forgedAt.stream().min(Long::compare).orElseThrow());
            System.err.println("SoaSpoofIT " + r);
            assertTrue(r.sent() > 10_000, "the forger flooded: " + r);
            return r;
        } finally {
            signal("CONT");
            forger.destroy();
            forger.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static long serial(SoaReply reply, InetSocketAddress target) {
        return reply.fast() != null ? reply.fast().serial() : SoaAnswer.judge(ZONE, reply.message(), target, false).serial();
    }

    /** SIGSTOP/SIGCONT to NSD and its server processes (all started by this test). */
    private static void signal(String sig) throws Exception {
        if (nsd == null) return;
        for (ProcessHandle h : nsd.descendants().toList()) sh("kill", "-" + sig, Long.toString(h.pid()));
        sh("kill", "-" + sig, Long.toString(nsd.pid()));
    }

    private static String read(String file) {
        try {
            return Files.readString(dir.resolve(file));
        } catch (IOException e) {
            return "";
        }
    }

    private static int sh(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static void must(String... argv) throws Exception {
        assertEquals(0, sh(argv), String.join(" ", argv));
    }
}
