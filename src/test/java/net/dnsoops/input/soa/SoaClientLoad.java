package net.dnsoops.input.soa;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.xbill.DNS.Name;

/**
 * For the benchmark: the SOA client alone, closed loop against a primary, either through its
 * pooled sockets (loopback primaries) or with a socket per query (every other primary).
 */
public final class SoaClientLoad {
    /** Answers per second and this JVM's CPU time per answer (µs). */
    public record Result(double answersPerSecond, double cpuMicrosPerAnswer, long timeouts) {
    }

    private SoaClientLoad() {
    }

    public static Result run(InetSocketAddress primary, IntFunction<String> zone, int zones, boolean socketPerQuery,
                             int inFlight, Duration warmup, Duration measure) throws Exception {
        AtomicLong answered = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong next = new AtomicLong();
        Name[] names = new Name[zones];
        for (int i = 0; i < zones; i++) names[i] = Name.fromString(zone.apply(i));
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (UdpSoaClient client = new UdpSoaClient(a -> socketPerQuery)) {
            long stopAt = System.nanoTime() + warmup.toNanos() + measure.toNanos();
            Runnable[] ask = new Runnable[1];
            ask[0] = () -> {
                if (System.nanoTime() > stopAt) return;
                Name z = names[(int) (next.getAndIncrement() % zones)];
                client.query(z, primary, Duration.ofSeconds(1)).whenComplete((r, e) -> {
                    (e == null ? answered : failed).incrementAndGet();
                    ask[0].run();
                });
            };
            for (int i = 0; i < inFlight; i++) ask[0].run();
            Thread.sleep(warmup.toMillis());
            long a0 = answered.get();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(measure.toMillis());
            long a = answered.get() - a0;
            long cpu = os.getProcessCpuTime() - cpu0;
            double secs = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(1500); // the last queries end before the client closes
            return new Result(a / secs, a == 0 ? 0 : cpu / 1e3 / a, failed.get());
        }
    }

}
