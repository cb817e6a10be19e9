package net.dnsoops.bench;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import net.dnsoops.actuator.hook.HookActuator;
import net.dnsoops.core.ZoneSnapshot;
import net.dnsoops.daemon.Daemon;

/** The benchmark's scenarios; each is bounded in count and time and prints its figures. */
final class Scenarios {
    private Scenarios() {
    }

    static void awaitReady(Daemon d, ConditionCounter c, int n, long seconds) throws InterruptedException {
        long t0 = System.nanoTime();
        if (!Bench.await(seconds, () -> c.ready.get() >= n)) {
            throw new IllegalStateException("only " + c.ready.get() + " of " + n + " zones verified in " + seconds + " s");
        }
        System.out.printf("%d zones verified at start in %.2f s%n", n, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * 1: NOTIFYs answered per second for a working set whose serial does not change. The load is
     * closed-loop (a window of NOTIFYs outstanding per socket, the next sent as an answer comes
     * back), as a primary that retries unanswered NOTIFYs behaves, so the figure is what the
     * daemon answers, not what the kernel dropped.
     */
    static void ingest(Bench b, Primary server, int n) throws Exception {
        ConditionCounter c = new ConditionCounter(n);
        Daemon d = b.daemon(server.primary(), n, "", c);
        try (NotifyLoad load = new NotifyLoad(d.boundAddresses().get(0), null, n, 4, 256)) {
            awaitReady(d, c, n, 60);
            // A daemon runs for months: measure it warm (JIT settled), not its first seconds.
            for (int w = 0; w < 6; w++) {
                long jit0 = jitMs();
                load.start();
                Thread.sleep(5_000);
                load.stop();
                long jit = jitMs() - jit0;
                System.out.printf("  warm-up %d: JIT compiled for %d ms%n", w + 1, jit);
                if (jit < 200) break;
            }
            Thread.sleep(500);
            long checksBefore = d.soaChecksStarted();
            long answeredBefore = load.answered();
            CpuMeter cpu = new CpuMeter(server.pid());
            long t0 = System.nanoTime();
            Profiler.start();
            load.start();
            Thread.sleep(5_000);
            long[] counts = load.stop();
            Profiler.stop("ingest");
            double secs = (System.nanoTime() - t0) / 1e9;
            Map<String, Double> shares = cpu.percentOfOneCore(server.name());
            long stoppedAt = System.nanoTime();
            b.figure("ingest.udp.answered", (counts[1] - answeredBefore) / secs, "NOTIFY/s");
            b.figure("ingest.udp.window_refills", counts[2], "stalls");
            printShares(shares);
            b.figure("ingest.udp.soa_queries", d.soaChecksStarted() - checksBefore, "queries");
            // Coalescing: far fewer SOA queries than NOTIFYs, yet every zone is checked after its
            // last NOTIFY. Wait (bounded) until that is so, and say how long it took.
            int[] covered = new int[1];
            Bench.await(15, () -> (covered[0] = checkedAfterLastNotify(d, load)) == n);
            b.figure("ingest.udp.zones_checked_after_last_notify", 100.0 * covered[0] / n, "%");
            b.figure("ingest.udp.all_checked_after", (System.nanoTime() - stoppedAt) / 1e9, "s");
            b.figure("ingest.tcp.answered", tcpIngest(d, n, 2, 256, 5), "NOTIFY/s");
        } finally {
            d.close();
        }
    }

    /** Zones whose last check finished after the answer to their last NOTIFY arrived. */
    private static int checkedAfterLastNotify(Daemon d, NotifyLoad load) {
        long nanoBase = System.nanoTime();
        long epochBase = System.currentTimeMillis();
        int covered = 0;
        for (ZoneSnapshot z : d.core().zones()) {
            int i = ConditionCounter.index(z.zone());
            long answeredEpochMs = epochBase - (nanoBase - load.answeredAtNanos.get(i)) / 1_000_000;
            if (z.lastCheckMs() >= answeredEpochMs - 1) covered++;
        }
        return covered;
    }

    /**
     * NOTIFYs answered per second over TCP: {@code connections} connections, each keeping
     * {@code window} pipelined messages outstanding, for {@code seconds}.
     */
    static double tcpIngest(Daemon d, int n, int connections, int window, int seconds) throws Exception {
        java.util.concurrent.atomic.AtomicLong answered = new java.util.concurrent.atomic.AtomicLong();
        byte[][] wires = new byte[n][];
        for (int i = 0; i < n; i++) wires[i] = NotifySender.wire(i);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Thread[] threads = new Thread[connections];
        for (int t = 0; t < connections; t++) {
            threads[t] = new Thread(() -> {
                try (java.net.Socket sock = new java.net.Socket(d.boundAddresses().get(1).getAddress(),
                        d.boundAddresses().get(1).getPort())) {
                    sock.setTcpNoDelay(true);
                    java.io.DataInputStream in = new java.io.DataInputStream(
                            new java.io.BufferedInputStream(sock.getInputStream(), 1 << 16));
                    java.io.DataOutputStream out = new java.io.DataOutputStream(
                            new java.io.BufferedOutputStream(sock.getOutputStream(), 1 << 16));
                    long sent = 0;
                    long got = 0;
                    while (System.nanoTime() < end) {
                        while (sent - got < window) {
                            byte[] w = wires[(int) (sent % n)];
                            out.writeShort(w.length);
                            out.write(w);
                            sent++;
                        }
                        out.flush();
                        while (sent - got > window / 2) {
                            int len = in.readUnsignedShort();
                            in.skipNBytes(len);
                            got++;
                        }
                    }
                    while (got < sent) {
                        in.skipNBytes(in.readUnsignedShort());
                        got++;
                    }
                    answered.addAndGet(got);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) t.join();
        return answered.get() / (double) seconds;
    }

    /**
     * The ceiling of the verified scenarios: SOA queries per second the primary itself answers
     * on this machine, with dns-oops idle, asked closed-loop by the load generator (the query
     * dns-oops sends: RD clear, EDNS with 1,232 bytes). Every verified update costs the primary
     * one such answer, so no NOTIFY receiver can verify faster than this while sharing the cores.
     */
    static void primary(Bench b, Primary server, int n) throws Exception {
        InetSocketAddress at = server.address();
        try (NotifyLoad load = new NotifyLoad(at, null, n, 4, 64, Scenarios::soaQuery)) {
            load.start();
            Thread.sleep(2_000);
            long before = load.answered();
            CpuMeter cpu = new CpuMeter(server.pid());
            long t0 = System.nanoTime();
            Thread.sleep(5_000);
            long[] counts = load.stop();
            double secs = (System.nanoTime() - t0) / 1e9;
            printShares(cpu.percentOfOneCore(server.name()));
            b.figure("primary.soa_answered", (counts[1] - before) / secs, "queries/s");
        }
    }

    /**
     * What RFC 5452's socket per query costs: the SOA client alone, closed loop with 256 queries
     * outstanding against the primary, through the pooled sockets (loopback primaries) and with
     * a socket per query (every other primary; here the loopback primary is treated as remote).
     */
    static void soaSockets(Bench b, Primary server, int n) throws Exception {
        for (boolean perQuery : new boolean[] {false, true}) {
            var r = net.dnsoops.input.soa.SoaClientLoad.run(server.address(), Primary::zone, n, perQuery, 256,
                    java.time.Duration.ofSeconds(3), java.time.Duration.ofSeconds(5));
            String name = perQuery ? "soa.socket_per_query" : "soa.pooled_sockets";
            b.figure(name + ".rate", r.answersPerSecond(), "answers/s");
            b.figure(name + ".cpu_per_answer", r.cpuMicrosPerAnswer(), "us");
        }
    }

    /** CPU per thread group and process, and how busy the whole machine was. */
    static void printShares(Map<String, Double> shares) {
        shares.forEach((group, pct) -> System.out.printf("  cpu %-36s %6.1f %% of one core%n", group, pct));
    }

    /** Time the JIT compilers have spent so far. */
    static long jitMs() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** An SOA query for zone i as dns-oops sends it. */
    static byte[] soaQuery(int zone) {
        org.xbill.DNS.Message m = org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(
                org.xbill.DNS.Name.fromConstantString(Primary.zone(zone)), org.xbill.DNS.Type.SOA,
                org.xbill.DNS.DClass.IN));
        m.getHeader().setID(zone & 0xffff);
        m.getHeader().unsetFlag(org.xbill.DNS.Flags.RD);
        m.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 0), org.xbill.DNS.Section.ADDITIONAL);
        return m.toWire();
    }

    /** What the verified updates go to, and how they are checked. */
    enum Mode {
        /** An in-process counter. */
        IN_PROCESS("verified.in_process"),
        /** The same with TSIG-signed SOA queries (soa-key), verified answers only. */
        TSIG("verified.tsig"),
        /** A hook running /bin/true per update. */
        HOOK("verified.hook");

        final String figure;

        Mode(String figure) {
            this.figure = figure;
        }
    }

    /**
     * 2: N zones bumped at the primary, one NOTIFY each: verified updates per second. In process
     * (signed or not): unmeasured warm-up rounds until the JIT has settled, then three measured
     * rounds, the median reported (a round lasts about a second, and on 2 shared cores one round's
     * figure varies by a third). With a hook: one round. Returns the last serial used (from
     * {@code serial} on).
     */
    static long verified(Bench b, Primary server, int n, long serial, Mode mode) throws Exception {
        ConditionCounter c = new ConditionCounter(n);
        boolean hook = mode == Mode.HOOK;
        String extra = hook ? " \"hooks\": [ { \"on\": [\"zone-updated\"], \"command\": [\"/bin/true\"], \"retries\": 0 } ],"
                + " \"hook-workers\": 8," : "";
        Daemon d = b.daemon(server.primary(), n, extra, mode == Mode.TSIG, c);
        String name = mode.figure;
        try {
            awaitReady(d, c, n, 120);
            if (!hook) {
                // A daemon runs for months: like ingest, measure it warm. Unmeasured rounds of
                // updates first, until the JIT compilers have settled (the hook run is long enough).
                for (int w = 0; w < 8; w++) {
                    long jit0 = jitMs();
                    round(d, c, server, n, serial++, null);
                    long jit = jitMs() - jit0;
                    System.out.printf("  warm-up round %d: JIT compiled for %d ms%n", w + 1, jit);
                    if (jit < 200) break;
                }
            }
            int rounds = hook ? 1 : 3;
            double[] rates = new double[rounds];
            double[] allocs = new double[rounds];
            long timeouts = 0;
            long t0 = 0;
            for (int r = 0; r < rounds; r++) {
                long before = d.soaQueryTimeouts();
                t0 = System.nanoTime();
                Round one = round(d, c, server, n, serial++, hook ? "hook" : mode == Mode.TSIG ? "tsig" : "verified");
                rates[r] = one.rate();
                allocs[r] = one.bytesPerUpdate();
                timeouts += d.soaQueryTimeouts() - before;
                System.out.printf("  round %d: %.0f zones/s, dns-oops threads allocated %.0f bytes per update%n", r + 1,
                        rates[r], allocs[r]);
            }
            double[] sorted = rates.clone();
            Arrays.sort(sorted);
            b.figure(name + ".zones", c.updated.get(), "zones per round");
            b.figure(name + ".soa_query_timeouts", timeouts, "queries");
            b.figure(name + ".rate", sorted[rounds / 2], rounds > 1 ? "zones/s (median of " + rounds + " rounds)" : "zones/s");
            if (rounds > 1) b.figure(name + ".rate_range", sorted[rounds - 1] - sorted[0], "zones/s (max - min)");
            Arrays.sort(allocs);
            if (allocs[rounds / 2] >= 0) b.figure(name + ".allocated_per_update", allocs[rounds / 2], "bytes (dns-oops threads, median)");
            if (hook) {
                HookActuator h = (HookActuator) d.actuators().stream().filter(a -> a instanceof HookActuator).findFirst()
                        .orElseThrow();
                Bench.await(300, () -> h.pending() == 0 && h.runs() >= n);
                double hs = (System.nanoTime() - t0) / 1e9;
                b.figure("verified.hook.commands_rate", h.runs() / hs, "hooks/s");
            }
        } finally {
            d.close();
        }
        return serial - 1;
    }

    /**
     * One round's figures: updates verified per second, and bytes the daemon's threads allocated
     * per update (-1 if the JVM cannot tell). The allocation hardly varies from run to run where
     * the rate varies by a third, so it is the figure to compare when the hot path changes.
     */
    record Round(double rate, double bytesPerUpdate) {}

    /**
     * Bumps every zone to {@code serial} at the primary, notifies each once and measures updates
     * verified per second, until the last update was signalled (not until this thread noticed).
     * {@code profile}: the name of the round's profile and CPU shares; null for an unmeasured round.
     */
    private static Round round(Daemon d, ConditionCounter c, Primary server, int n, long serial, String profile)
            throws Exception {
        try (NotifyLoad load = new NotifyLoad(d.boundAddresses().get(0), null, n, 4, 256)) {
            server.setSerial(serial);
            c.updated.set(0);
            boolean measured = profile != null;
            CpuMeter cpu = new CpuMeter(server.pid());
            long t0 = System.nanoTime();
            if (measured) Profiler.start();
            // CPU shares up to the last update, not up to the sender's retry pause after it.
            java.util.concurrent.CompletableFuture<Map<String, Double>> shares = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            Bench.await(120, () -> c.updated.get() >= n);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return cpu.percentOfOneCore(server.name());
                    });
            notifyEachOnce(load, c, n);
            if (!Bench.await(120, () -> c.updated.get() >= n)) {
                System.out.println("WARNING: only " + c.updated.get() + " of " + n + " zones verified within the time bound");
            }
            long allocated = cpu.allocatedBytes("dns-oops");
            if (measured) Profiler.stop(profile);
            if (measured) printShares(shares.get());
            long last = t0;
            for (int i = 0; i < n; i++) last = Math.max(last, c.updatedAtNanos.get(i));
            long updated = c.updated.get();
            return new Round(updated / ((last - t0) / 1e9), allocated < 0 || updated == 0 ? -1 : (double) allocated / updated);
        }
    }

    /**
     * One NOTIFY per zone, 4 x 256 outstanding as a primary notifying many zones keeps them; the
     * unanswered are re-sent 1 s apart, 5 rounds. Returns when every zone was updated (or after 5 s).
     */
    private static void notifyEachOnce(NotifyLoad load, ConditionCounter c, int n) throws InterruptedException {
        load.startOnce();
        for (int round = 0; round < 5 && !Bench.await(1, () -> c.updated.get() >= n); round++) {
            int resent = load.resendUnanswered();
            if (resent > 0) System.out.printf("  re-sent %d unanswered NOTIFYs%n", resent);
        }
    }

    /** 3: NOTIFY sent → zone-updated emitted, at 1000 NOTIFY/s. */
    static void latency(Bench b, Primary server, int n, long serial) throws Exception {
        ConditionCounter c = new ConditionCounter(n);
        Daemon d = b.daemon(server.primary(), n, "", c);
        try (NotifySender s = new NotifySender(d.boundAddresses().get(0), n)) {
            awaitReady(d, c, n, 120);
            server.setSerial(serial);
            Bench.usedHeapAfterGc(); // start from a clean heap, not the previous scenario's garbage
            long[] sent = new long[n];
            long next = System.nanoTime();
            for (int i = 0; i < n; i++) {
                next += 1_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) LockSupport.parkNanos(wait);
                sent[i] = System.nanoTime();
                s.send(i);
            }
            Bench.await(30, () -> c.updated.get() >= n);
            long[] lat = new long[n];
            int k = 0;
            int warmup = n / 10; // the first tenth warms the JIT up and is not counted
            for (int i = warmup; i < n; i++) {
                long at = c.updatedAtNanos.get(i);
                if (at > 0) lat[k++] = at - sent[i];
            }
            lat = Arrays.copyOf(lat, k);
            Arrays.sort(lat);
            b.figure("latency.samples", k, "zones");
            b.figure("latency.p50", Bench.percentile(lat, 50) / 1e6, "ms");
            b.figure("latency.p99", Bench.percentile(lat, 99) / 1e6, "ms");
            b.figure("latency.max", k == 0 ? Double.NaN : lat[k - 1] / 1e6, "ms");
        } finally {
            d.close();
        }
    }

    /** 4: a burst of N NOTIFYs for N distinct changed zones; unanswered ones are retried as primaries do. */
    static void burst(Bench b, Primary server, int n, long serial) throws Exception {
        ConditionCounter c = new ConditionCounter(n);
        Daemon d = b.daemon(server.primary(), n, "", c);
        try (NotifySender s = new NotifySender(d.boundAddresses().get(0), n)) {
            long t0 = System.nanoTime();
            awaitReady(d, c, n, 300);
            b.figure("startup.verification_rate", n / ((System.nanoTime() - t0) / 1e9), "zones/s");
            server.setSerial(serial);
            long start = System.nanoTime();
            int firstPassAnswered = sendAllWithRetries(s, n, () -> c.updated.get() >= n);
            Bench.await(60, () -> c.updated.get() >= n);
            long last = 0;
            for (int i = 0; i < n; i++) last = Math.max(last, c.updatedAtNanos.get(i));
            b.figure("burst.notifies", n, "NOTIFY");
            b.figure("burst.answered_first_pass", firstPassAnswered, "NOTIFY");
            b.figure("burst.verified", 100.0 * c.updated.get() / n, "%");
            b.figure("burst.last_update_after", (last - start) / 1e9, "s");
        } finally {
            d.close();
        }
    }

    /** Sends one NOTIFY per zone as fast as the socket takes them, then re-sends unanswered ones (1 s apart, 5 rounds). */
    static int sendAllWithRetries(NotifySender s, int n, java.util.function.BooleanSupplier done) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            while (!s.send(i)) Thread.onSpinWait();
        }
        System.out.printf("  first pass of %d NOTIFYs sent in %.3f s%n", n, (System.nanoTime() - t0) / 1e9);
        Thread.sleep(1000);
        int firstPass = 0;
        for (int i = 0; i < n; i++) if (s.answeredAtNanos.get(i) != 0) firstPass++;
        for (int round = 0; round < 5 && !done.getAsBoolean(); round++) {
            int resent = 0;
            for (int i = 0; i < n; i++) {
                if (s.answeredAtNanos.get(i) == 0) {
                    while (!s.send(i)) Thread.onSpinWait();
                    resent++;
                }
            }
            if (resent == 0) break;
            Thread.sleep(1000);
        }
        return firstPass;
    }

    /** 5: many zones configured: start-up time, heap after the first verification round, CPU at rest. */
    static void scale(Bench b, int n) throws Exception {
        try (Primary server = b.primary(b_work(b, "primary-scale"), n)) {
            long tn = System.nanoTime();
            server.start();
            System.out.printf("%s serving %d zones after %.1f s (RSS %d MiB)%n", server.name(), n, (System.nanoTime() - tn) / 1e9,
                    server.rssKb() / 1024);
            long before = Bench.usedHeapAfterGc();
            ConditionCounter c = new ConditionCounter(n);
            long t0 = System.nanoTime();
            Profiler.start();
            Daemon d = b.daemon(server.primary(), n, "", c);
            Profiler.stop("scale-startup");
            try {
                b.figure("scale.zones", n, "zones");
                b.figure("scale.startup", (System.nanoTime() - t0) / 1e9, "s");
                awaitReady(d, c, n, 600);
                b.figure("scale.first_round_done", (System.nanoTime() - t0) / 1e9, "s");
                long heap = Bench.usedHeapAfterGc() - before;
                b.figure("scale.heap", heap / (1 << 20), "MiB");
                b.figure("scale.bytes_per_zone", (double) heap / n, "bytes");
                com.sun.management.OperatingSystemMXBean os =
                        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                long cpu0 = os.getProcessCpuTime();
                long w0 = System.nanoTime();
                Thread.sleep(10_000);
                b.figure("scale.steady_cpu", 100.0 * (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - w0), "% of one core");
            } finally {
                d.close();
            }
        }
    }

    private static java.nio.file.Path b_work(Bench b, String name) throws java.io.IOException {
        return java.nio.file.Files.createTempDirectory(name);
    }
}
