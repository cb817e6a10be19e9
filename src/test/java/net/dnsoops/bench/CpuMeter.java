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
    private final long jvmStart = jvmCpuNanos();
    private final long[] machineStart = machineTicks();
    private final Map<String, Long> allocStart = allocatedByGroup();

    CpuMeter(long... pids) {
        this.pids = pids;
        this.start = byGroup();
        this.pidStart = new long[pids.length];
        for (int i = 0; i < pids.length; i++) pidStart[i] = processCpuNanos(pids[i]);
    }

    /**
     * CPU time per group since construction, in % of one core, by name; plus the JVM's own
     * threads and the whole machine's busy share (of all its cores, also in % of one core).
     */
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
        // The JVM's own threads (garbage collector, JIT compilers) are not Java threads: the
        // process's CPU time less the Java threads' is theirs.
        double javaThreads = 0;
        for (Map.Entry<String, Long> e : now.entrySet()) javaThreads += e.getValue() - start.getOrDefault(e.getKey(), 0L);
        double jvmOwn = jvmCpuNanos() - jvmStart - javaThreads;
        if (jvmOwn > 0.005 * wall) out.put("(jvm: gc, jit)", 100.0 * jvmOwn / wall);
        out.put("(machine busy, irqs included)", machineBusyPercent());
        return out;
    }

    /**
     * Bytes allocated since construction by this JVM's threads whose group name starts with
     * {@code prefix} (e.g. "dns-oops"). Unlike a rate on shared cores this hardly varies between
     * runs, so it shows what a change to the hot path saves; -1 if the JVM cannot tell.
     */
    long allocatedBytes(String prefix) {
        Map<String, Long> now = allocatedByGroup();
        if (now.isEmpty()) return -1;
        long sum = 0;
        for (Map.Entry<String, Long> e : now.entrySet()) {
            if (e.getKey().startsWith(prefix)) sum += e.getValue() - allocStart.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }

    private static Map<String, Long> allocatedByGroup() {
        if (!(THREADS instanceof com.sun.management.ThreadMXBean sun) || !sun.isThreadAllocatedMemoryEnabled()) return Map.of();
        return perGroup(sun::getThreadAllocatedBytes);
    }

    /**
     * The machine's busy share since construction from /proc/stat (interrupts and softirqs
     * included, which no process is charged for), in % of one core; NaN if unreadable.
     */
    double machineBusyPercent() {
        long[] now = machineTicks();
        if (now == null || machineStart == null) return Double.NaN;
        long total = now[0] - machineStart[0];
        long idle = now[1] - machineStart[1];
        return total <= 0 ? Double.NaN : 100.0 * Runtime.getRuntime().availableProcessors() * (total - idle) / total;
    }

    /** {all ticks, idle + iowait ticks} of the "cpu" line of /proc/stat. */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) total += Long.parseLong(f[i]); // user..steal
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Map<String, Long> byGroup() {
        return perGroup(THREADS::getThreadCpuTime);
    }

    /** A per-thread count (-1: unknown) summed per group of this JVM's threads. */
    private static Map<String, Long> perGroup(java.util.function.LongUnaryOperator perThread) {
        Map<String, Long> m = new TreeMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            var info = THREADS.getThreadInfo(id);
            long v = perThread.applyAsLong(id);
            if (info == null || v < 0) continue;
            m.merge(info.getThreadName().replaceAll("\\d+", "N"), v, Long::sum);
        }
        return m;
    }

    /** Resident memory of a process in KiB, from /proc; -1 once it is gone. */
    static long rssKb(long pid) {
        try {
            for (String l : java.nio.file.Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        } catch (java.io.IOException ignored) {
            // gone
        }
        return -1;
    }

    /** CPU time of a process and its descendants, living or reaped (NSD serves from forked grandchildren), from /proc. */
    static long processCpuNanos(long pid) {
        long sum = 0;
        java.util.List<Long> pids = new java.util.ArrayList<>();
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        for (long p : pids) {
            long[] s = stat(Path.of("/proc/" + p));
            if (s != null) sum += s[1];
        }
        return sum;
    }

    /** {ppid, CPU time in ns} of one /proc entry, or null if it went away. */
    private static long[] stat(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime + stime, plus cutime + cstime: children that exited and were reaped (NSD
            // replaces its server process on every reload) still count.
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
            return new long[] {Long.parseLong(f[1]), ticks * 10_000_000L};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
