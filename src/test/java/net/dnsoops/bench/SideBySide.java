package net.dnsoops.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import net.dnsoops.daemon.Daemon;
import net.dnsoops.testsupport.FreePorts;

/**
 * dns-oops and nsnotifyd measured the same way on the same machine: the same primary
 * (127.0.0.2 port 53, where nsnotifyd asks), the same NOTIFYs from 127.0.0.2, the same hook
 * script (nsnotifyd's arguments: zone serial notifier), counted by the lines it appends. Runs
 * only if nsnotifyd is installed (see {@link Nsnotifyd#find}); prints the ratios.
 */
final class SideBySide {
    private static final String NOTIFIER = "127.0.0.2";

    private SideBySide() {
    }

    static void run(Bench b, Path work, int n) throws Exception {
        Optional<Path> exe = Nsnotifyd.find();
        if (exe.isEmpty()) {
            System.out.println("nsnotifyd not installed (PATH or -Dbench.nsnotifyd): no side-by-side figures");
            return;
        }
        Files.createDirectories(work);
        Path hookLog = work.resolve("hook.log");
        Path hook = work.resolve("count-hook");
        Files.writeString(hook, "#!/bin/sh\necho \"$1 $2\" >> " + hookLog + "\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        // the same record from a batch: one JSON condition per stdin line (ConditionDocument's key order)
        Path batchHook = work.resolve("count-batch-hook");
        Files.writeString(batchHook, "#!/bin/sh\nsed -E 's/.*\"zone\":\"([^\"]*)\",\"serial\":([0-9]+).*/\\1 \\2/' >> "
                + hookLog + "\n");
        Files.setPosixFilePermissions(batchHook, PosixFilePermissions.fromString("rwxr-xr-x"));
        b.figure("machine.hook_script_runs", scriptRunsPerSecond(hook, 500), "runs/s from a shell loop");
        List<String> zones = Bench.range(n).stream().map(Primary::zone).toList();
        try (Primary server = b.primary(work.resolve("primary-53"), n, NOTIFIER, 53)) {
            try {
                server.start();
            } catch (RuntimeException | IOException e) {
                System.out.println("cannot run " + server.name() + " on " + NOTIFIER + " port 53 (needs root or CAP_NET_BIND_SERVICE): "
                        + e.getMessage() + "; no side-by-side figures");
                return;
            }
            long serial = 10;
            double[] theirs;
            try (Nsnotifyd rival = new Nsnotifyd(exe.get(), work.resolve("nsnotifyd"), FreePorts.next(), NOTIFIER, hook,
                    zones)) {
                theirs = measure(b, "nsnotifyd", rival.address(), server, n, serial, hookLog, true);
            }
            serial += 2;
            String extra = " \"hooks\": [ { \"on\": [\"zone-updated\"], \"command\": [\"" + hook + "\"], \"retries\": 0 } ],";
            Daemon d = b.daemon(server.primary(), n, extra);
            double[] ours;
            try {
                Bench.await(120, () -> d.core().zones().stream().allMatch(z -> z.serial() >= 0));
                ours = measure(b, "dns-oops", d.boundAddresses().get(0), server, n, serial, hookLog, true);
            } finally {
                d.close();
            }
            serial += 2;
            String batched = " \"hooks\": [ { \"on\": [\"zone-updated\"], \"command\": [\"" + batchHook
                    + "\"], \"retries\": 0, \"batch-size\": 1000, \"batch-wait\": \"100ms\" } ],";
            Daemon db = b.daemon(server.primary(), n, batched);
            double[] ourBatched;
            try {
                Bench.await(120, () -> db.core().zones().stream().allMatch(z -> z.serial() >= 0));
                ourBatched = measure(b, "dns-oops.batched", db.boundAddresses().get(0), server, n, serial, hookLog, false);
            } finally {
                db.close();
            }
            b.figure("ratio.hook_rate_batched", ourBatched[1] / theirs[1], "x nsnotifyd");
            b.figure("ratio.ingest_unchanged", ours[0] / theirs[0], "x nsnotifyd");
            b.figure("ratio.hook_rate", ours[1] / theirs[1], "x nsnotifyd");
            b.figure("ratio.burst_answered_first_pass", ours[2] / Math.max(1, theirs[2]), "x nsnotifyd");
        }
    }

    /**
     * How fast this machine runs the hook script at all: a plain shell loop running it
     * {@code count} times, one after another, with nothing else going on (serial 0, which no
     * measurement counts). Neither daemon can run per-change hooks faster than the machine
     * creates processes; on a small VM that, not the daemon, bounds the per-change hook rate.
     */
    private static double scriptRunsPerSecond(Path hook, int count) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("/bin/sh", "-c",
                "i=0; while [ $i -lt " + count + " ]; do \"$0\" ceiling$i 0 || exit 1; i=$((i+1)); done", hook.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (p.waitFor() != 0) throw new IOException("the hook script failed in a shell loop");
        return count / ((System.nanoTime() - t0) / 1e9);
    }

    /** {unchanged NOTIFYs answered/s, hooks/s with a window of 64, burst answered in the first pass}. */
    private static double[] measure(Bench b, String who, java.net.InetSocketAddress target, Primary server, int n,
                                    long serial, Path hookLog, boolean ingestToo) throws Exception {
        InetAddress from = InetAddress.getByName(NOTIFIER);
        // 1. unchanged serial: closed loop over the first 1,000 zones
        int working = Math.min(1000, n);
        double ingest = Double.NaN;
        if (ingestToo) try (NotifyLoad load = new NotifyLoad(target, new java.net.InetSocketAddress(from, 0), working, 4, 64)) {
            load.start();
            Thread.sleep(1_000); // warm-up
            long before = load.answered();
            long t0 = System.nanoTime();
            Thread.sleep(5_000);
            long[] counts = load.stop();
            ingest = (counts[1] - before) / ((System.nanoTime() - t0) / 1e9);
        }
        if (ingestToo) b.figure(who + ".ingest.udp.answered", ingest, "NOTIFY/s");
        // 2. hook path: every zone changed, NOTIFYs kept 64 in flight, until every hook ran
        server.setSerial(serial);
        double rate;
        try (NotifySender s = new NotifySender(target, n, from)) {
            long t0 = System.nanoTime();
            s.sendWindowed(n, 64, 1000, 120_000, () -> hooked(hookLog, serial) >= n);
            double secs = (System.nanoTime() - t0) / 1e9;
            rate = hooked(hookLog, serial) / secs;
        }
        b.figure(who + ".hook.rate", rate, "hooks/s");
        // 3. burst: every zone changed again, all NOTIFYs at once; how many answered at the first try
        server.setSerial(serial + 1);
        int first;
        try (NotifySender s = new NotifySender(target, n, from)) {
            long t0 = System.nanoTime();
            first = Scenarios.sendAllWithRetries(s, n, () -> hooked(hookLog, serial + 1) >= n);
            Bench.await(60, () -> hooked(hookLog, serial + 1) >= n);
            b.figure(who + ".burst.answered_first_pass", first, "of " + n + " NOTIFY");
            b.figure(who + ".burst.hooked", hooked(hookLog, serial + 1), "of " + n + " zones");
            b.figure(who + ".burst.all_hooked_after", (System.nanoTime() - t0) / 1e9, "s");
        }
        return new double[] {ingest, rate, first};
    }

    /**
     * Hook runs recorded for {@code serial}. Polled every millisecond while NOTIFYs are sent, so
     * it reads only what was appended since its last call: re-reading the whole log each time
     * took a good part of a core from the daemon being measured.
     */
    private static int hooked(Path log, long serial) {
        return HOOK_LOG.count(log, serial);
    }

    private static final HookLogCounter HOOK_LOG = new HookLogCounter();

    /** Counts "zone serial" lines per serial, reading a growing file incrementally. */
    private static final class HookLogCounter {
        private final java.util.Map<Long, Integer> perSerial = new java.util.HashMap<>();
        private Path file;
        private long offset;
        private final StringBuilder partial = new StringBuilder();

        synchronized int count(Path log, long serial) {
            if (!log.equals(file)) {
                file = log;
                offset = 0;
                partial.setLength(0);
                perSerial.clear();
            }
            try (var ch = java.nio.channels.FileChannel.open(log)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
                int r;
                while ((r = ch.read(buf, offset)) > 0) {
                    offset += r;
                    partial.append(new String(buf.array(), 0, r, java.nio.charset.StandardCharsets.US_ASCII));
                    buf.clear();
                }
            } catch (java.nio.file.NoSuchFileException e) {
                return 0;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            int start = 0;
            for (int nl; (nl = partial.indexOf("\n", start)) >= 0; start = nl + 1) {
                String line = partial.substring(start, nl);
                int sp = line.lastIndexOf(' ');
                if (sp < 0) continue;
                try {
                    perSerial.merge(Long.parseLong(line.substring(sp + 1)), 1, Integer::sum);
                } catch (NumberFormatException ignored) {
                    // not a hook line
                }
            }
            partial.delete(0, start);
            return perSerial.getOrDefault(serial, 0);
        }
    }
}
