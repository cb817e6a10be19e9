package net.dnsoops.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the shared cores went during a scenario: CPU time per thread group of this JVM (names
 * with their numbers folded, so "dns-oops-udp-3" counts with its siblings) and of other
 * processes (the primary). On a 2-core machine where load generator, daemon and primary share
 * the cores, this tells which of them a figure measures.
 */
final class CpuMeter {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final Map<String, Long> start;
    private final long[] pids;
    private final long[] pidStart;
    private final long wallStart = System.nanoTime();

    CpuMeter(long... pids) {
        this.pids = pids;
        this.start = byGroup();
        this.pidStart = new long[pids.length];
        for (int i = 0; i < pids.length; i++) pidStart[i] = processCpuNanos(pids[i]);
    }

    /** CPU time per group since construction, in % of one core, largest first. */
    Map<String, Double> percentOfOneCore(String... pidNames) {
        double wall = System.nanoTime() - wallStart;
        Map<String, Long> now = byGroup();
        Map<String, Double> out = new TreeMap<>();
        now.forEach((g, t) -> {
            double used = t - start.getOrDefault(g, 0L);
            if (used > 0.005 * wall) out.put(g, 100.0 * used / wall);
        });
        for (int i = 0; i < pids.length; i++) {
            out.put(pidNames[i], 100.0 * (processCpuNanos(pids[i]) - pidStart[i]) / wall);
        }
        return out;
    }

    private static Map<String, Long> byGroup() {
        Map<String, Long> m = new TreeMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            var info = THREADS.getThreadInfo(id);
            long t = THREADS.getThreadCpuTime(id);
            if (info == null || t < 0) continue;
            m.merge(info.getThreadName().replaceAll("\\d+", "N"), t, Long::sum);
        }
        return m;
    }

    /** utime + stime of a process and its children (NSD serves from forked children), from /proc. */
    static long processCpuNanos(long pid) {
        long sum = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                long[] s = stat(p);
                if (s != null && (Long.parseLong(name) == pid || s[0] == pid)) sum += s[1];
            }
        } catch (IOException e) {
            return 0;
        }
        return sum;
    }

    /** {ppid, utime + stime in ns} of one /proc entry, or null if it went away. */
    private static long[] stat(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[1]), (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
