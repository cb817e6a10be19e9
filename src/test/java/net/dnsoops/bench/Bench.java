package net.dnsoops.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import net.dnsoops.core.Actuator;
import net.dnsoops.daemon.Daemon;
import net.dnsoops.testsupport.FreePorts;

/**
 * The benchmark behind {@code scripts/bench}: starts a real NSD (or Knot) primary with N generated
 * zones and dns-oops in this JVM, runs bounded scenarios and prints one line per figure
 * ({@code FIGURE name value unit}) and a summary table. Usage:
 * {@code Bench [--zones N] [--scale-zones N] [--only a,b] [--primary server|knot]} (scenarios: primary, ingest, verified, tsig,
 * hook, latency, burst, scale, scale-process, nsnotifyd (side by side, when nsnotifyd is installed); and, only when
 * named in --only, page (the status page in headless Chromium with --zones and with --scale-zones zones).
 */
public final class Bench {
    private final Map<String, String> figures = new LinkedHashMap<>();
    /** The same figures as numbers, for ratios between scenarios. */
    private final Map<String, Double> values = new LinkedHashMap<>();
    private final Path work;
    /** {@code --primary}: server (the default) or knot. */
    private final String primaryKind;

    private Bench(Path work, String primaryKind) {
        this.work = work;
        this.primaryKind = primaryKind;
    }

    public static void main(String[] args) throws Exception {
        int zones = 100_000;
        int scaleZones = 1_000_000;
        String primary = "nsd";
        List<String> only = List.of("primary", "soa-sockets", "ingest", "verified", "tsig", "hook", "latency", "burst", "scale",
                "scale-process", "nsnotifyd");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--zones" -> zones = Integer.parseInt(args[++i]);
                case "--scale-zones" -> scaleZones = Integer.parseInt(args[++i]);
                case "--only" -> only = Arrays.asList(args[++i].split(","));
                case "--primary" -> primary = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path work = Files.createTempDirectory("dns-oops-bench");
        Bench b = new Bench(work, primary);
        try {
            b.run(zones, scaleZones, only);
        } finally {
            b.summary();
        }
    }

    void figure(String name, double value, String unit) {
        String v = value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format("%.2f", value);
        figures.put(name, v + " " + unit);
        values.put(name, value);
        System.out.println("FIGURE " + name + " " + v + " " + unit);
        System.out.flush();
    }

    void summary() {
        System.out.println();
        System.out.println(String.format("%-44s %s", "figure", "value"));
        figures.forEach((k, v) -> System.out.println(String.format("%-44s %s", k, v)));
    }

    private void run(int zones, int scaleZones, List<String> only) throws Exception {
        System.out.println("dns-oops benchmark: " + Runtime.getRuntime().availableProcessors() + " cores, heap max "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB, work dir " + work);
        if (only.stream().anyMatch(List.of("primary", "soa-sockets", "ingest", "verified", "tsig", "hook", "latency", "burst")::contains)) {
            try (Primary server = primary(work.resolve(primaryKind), zones)) {
                long t0 = System.nanoTime();
                server.start();
                System.out.printf("%s serving %d zones after %.1f s%n", server.name(), zones, (System.nanoTime() - t0) / 1e9);
                long serial = 1;
                if (only.contains("primary")) Scenarios.primary(this, server, Math.min(zones, 50_000));
                if (only.contains("soa-sockets")) Scenarios.soaSockets(this, server, Math.min(zones, 50_000));
                if (only.contains("ingest")) Scenarios.ingest(this, server, Math.min(1000, zones));
                int n = Math.min(zones, 50_000);
                if (only.contains("verified")) serial = Scenarios.verified(this, server, n, serial + 1, Scenarios.Mode.IN_PROCESS);
                if (only.contains("tsig")) serial = Scenarios.verified(this, server, n, serial + 1, Scenarios.Mode.TSIG);
                if (only.contains("hook")) {
                    serial = Scenarios.verified(this, server, Math.min(zones, 5_000), serial + 1, Scenarios.Mode.HOOK);
                }
                if (only.contains("latency")) Scenarios.latency(this, server, Math.min(zones, 5_000), ++serial);
                if (only.contains("burst")) Scenarios.burst(this, server, Math.min(zones, 100_000), ++serial);
            }
        }
        if (only.contains("nsnotifyd")) {
            SideBySide.run(this, work.resolve("side-by-side"), Math.min(zones, 2000));
            // issue 8: verified updates against nsnotifyd's unchanged-serial path (target 10x)
            Double verified = values.get("verified.in_process.rate");
            Double theirs = values.get("nsnotifyd.ingest.udp.answered");
            if (verified != null && theirs != null && theirs > 0) {
                figure("ratio.verified_vs_nsnotifyd_unchanged", verified / theirs, "x nsnotifyd");
            }
        }
        if (only.contains("scale")) Scenarios.scale(this, scaleZones);
        if (only.contains("scale-process")) ScaleProcess.run(this, scaleZones);
        if (only.contains("page")) {
            PageProcess.run(this, zones);
            PageProcess.run(this, scaleZones);
        }
    }

    /** The primary chosen with {@code --primary}, on 127.0.0.1 and a free port, not started yet. */
    Primary primary(Path dir, int zones) throws java.io.IOException {
        return primary(dir, zones, "127.0.0.1", FreePorts.next());
    }

    /** The same on a given address. */
    Primary primary(Path dir, int zones, String ip, int port) throws java.io.IOException {
        return Primary.of(primaryKind, dir, zones, ip, port);
    }

    /** dns-oops in this JVM watching z0..z(n-1).bench. at the primary, with extra actuators. */
    Daemon daemon(String primary, int n, String extra, Actuator... embedded) throws Exception {
        return daemon(primary, n, extra, false, embedded);
    }

    /** As above; {@code signed}: SOA queries signed with the key the primary knows (soa-key). */
    Daemon daemon(String primary, int n, String extra, boolean signed, Actuator... embedded) throws Exception {
        Path conf = config(primary, n, extra, signed);
        DnsOopsConfig c = ConfigLoader.load(conf);
        Daemon d = new Daemon(conf, c, Clock.systemUTC(), List.of(embedded));
        d.start();
        return d;
    }

    /** Writes the config of {@link #daemon}: a NOTIFY listener on a free port, zones z0..z(n-1).bench. */
    Path config(String primary, int n, String extra, boolean signed) throws java.io.IOException {
        int port = FreePorts.next();
        StringBuilder json = new StringBuilder();
        json.append("{ \"listen\": [\"127.0.0.1@").append(port).append("\"], \"notify-rate-per-source\": 0,")
                .append(" \"soa-queries-per-second\": 1000000,")
                .append(" \"soa-max-in-flight\": ").append(Integer.getInteger("bench.soa-max-in-flight", 1000)).append(",")
                .append(" \"defaults\": { \"primaries\": [\"").append(primary).append("\"], \"soa-timeout\": \"1s\",")
                .append(" \"soa-tries\": 3, \"jitter\": 0")
                .append(signed ? ", \"soa-key\": \"" + Primary.KEY_NAME + "\" }, \"keys\": { \"" + Primary.KEY_NAME
                        + "\": { \"algorithm\": \"hmac-sha256\", \"secret\": \"" + Primary.KEY_SECRET + "\" } }," : " },")
                .append(extra)
                .append(" \"zones\": {");
        for (int i = 0; i < n; i++) json.append(i == 0 ? "" : ",").append("\"z").append(i).append(".bench.\":{}");
        json.append("} }");
        Path conf = work.resolve("dns-oops-" + n + ".json");
        Files.writeString(conf, net.dnsoops.testsupport.OwnControl.in(work.resolve("control-" + n), json.toString()));
        return conf;
    }

    Path work() {
        return work;
    }

    static int port(Daemon d) {
        return d.boundAddresses().get(0).getPort();
    }

    static boolean await(long seconds, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (done.getAsBoolean()) return true;
            Thread.sleep(5);
        }
        return done.getAsBoolean();
    }

    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static List<Integer> range(int n) {
        List<Integer> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) l.add(i);
        return l;
    }
}
