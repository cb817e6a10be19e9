package net.dnsoops.capture;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.dnsoops.config.ConfigValues;
import net.dnsoops.core.AddressText;
import net.dnsoops.core.Health;
import net.dnsoops.core.ZoneSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * The seed's per-zone flags: {@code generate-pcap} records a zone's signalling traffic to a
 * rotating pcap file, {@code generate-dsc} writes its counters as DSC XML datasets. Neither an
 * input nor an actuator: the inputs report their traffic through {@link TrafficObserver}, and one
 * writer thread here does all file I/O, fed by a bounded queue (overflow is dropped and counted).
 */
public final class Capture implements TrafficObserver, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Capture.class);

    private record Flags(boolean pcap, boolean dsc) {
    }

    private record Event(Instant time, Name zone, boolean isNotify, InetSocketAddress client, InetSocketAddress server,
                         String transport, byte[] query, byte[] answer, int rcode, long serial, String failure) {
    }

    private final CaptureConfig config;
    private final Clock clock;
    private final Path directory;
    private final LinkedBlockingQueue<Event> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile Map<Name, Flags> zones = Map.of();
    /** Writer-thread state. */
    private final Map<Name, PcapWriter> pcaps = new HashMap<>();
    private final Map<Name, DscDataset> dsc = new HashMap<>();
    private final Map<Name, Long> lastSerial = new HashMap<>();
    private long intervalStart;
    private int soaPort = 49152;
    private volatile String lastError = "";
    private Thread writer;
    private volatile boolean running = true;

    public Capture(CaptureConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.directory = Path.of(config.directory);
        this.queue = new LinkedBlockingQueue<>(config.queueSize);
    }

    /** Which zones capture what, from the resolved "generate-pcap"/"generate-dsc" fields. Any thread. */
    public void configure(List<ZoneSettings> settings) {
        Map<Name, Flags> m = new HashMap<>();
        for (ZoneSettings s : settings) {
            boolean p = "true".equals(s.fields().get("generate-pcap"));
            boolean d = "true".equals(s.fields().get("generate-dsc"));
            if (p || d) m.put(s.name(), new Flags(p, d));
        }
        zones = Map.copyOf(m);
        if (!m.isEmpty()) log.info("capture: pcap for {}, dsc for {} (under {})",
                names(m, true), names(m, false), directory);
    }

    private static List<String> names(Map<Name, Flags> m, boolean pcap) {
        return m.entrySet().stream().filter(e -> pcap ? e.getValue().pcap() : e.getValue().dsc())
                .map(e -> e.getKey().toString()).sorted().toList();
    }

    @Override
    public boolean active() {
        return !zones.isEmpty();
    }

    public void start() {
        long now = clock.millis();
        long iv = config.dscInterval.toMillis();
        intervalStart = now - now % iv;
        writer = new Thread(this::run, "dns-oops-capture");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public boolean wants(Name zone) {
        Map<Name, Flags> z = zones;
        return !z.isEmpty() && z.containsKey(zone);
    }

    @Override
    public void notifyExchange(Name zone, InetSocketAddress client, InetSocketAddress server, String transport,
                               byte[] query, byte[] answer, int rcode) {
        enqueue(new Event(clock.instant(), zone, true, client, server, transport, query, answer, rcode, -1, ""));
    }

    @Override
    public void soaExchange(Name zone, InetSocketAddress server, byte[] query, byte[] answer, long serial,
                            String failure) {
        enqueue(new Event(clock.instant(), zone, false, null, server, "udp", query, answer, -1, serial, failure));
    }

    private void enqueue(Event e) {
        if (!queue.offer(e)) {
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 1000 == 0) log.warn("capture: queue full, {} exchanges dropped so far", n);
        }
    }

    private void run() {
        long iv = config.dscInterval.toMillis();
        while (running) {
            try {
                long wait = Math.max(1, intervalStart + iv - clock.millis());
                Event e = queue.poll(wait, TimeUnit.MILLISECONDS);
                if (e != null) handle(e);
                if (clock.millis() >= intervalStart + iv) {
                    closeStoppedPcaps();
                    flushDsc(intervalStart + iv);
                    intervalStart += iv * Math.max(1, (clock.millis() - intervalStart) / iv);
                }
            } catch (InterruptedException ie) {
                return;
            } catch (RuntimeException ex) {
                lastError = ex.toString();
                log.error("capture writer failed on one exchange", ex);
            }
        }
    }

    private void handle(Event e) {
        Flags f = zones.get(e.zone());
        if (f == null) return; // the zone stopped capturing (reload)
        if (f.pcap()) pcap(e);
        if (f.dsc()) count(e);
    }

    private void pcap(Event e) {
        PcapWriter w = pcaps.computeIfAbsent(e.zone(), z -> new PcapWriter(directory.resolve(dirName(z)), dirName(z),
                config.pcapMaxSize, config.pcapRotateInterval.toMillis(), config.pcapKeep));
        try {
            if (e.isNotify()) {
                boolean tcp = "tcp".equals(e.transport());
                w.write(e.time(), e.client(), e.server(), tcp, e.query());
                if (e.answer() != null) w.write(e.time(), e.server(), e.client(), tcp, e.answer());
            } else {
                // dnsjava does not tell us its local port: the SOA query's source port is synthetic.
                InetAddress local = e.server().getAddress().isLoopbackAddress() ? e.server().getAddress()
                        : e.server().getAddress() instanceof java.net.Inet6Address ? InetAddress.getByName("::")
                        : InetAddress.getByName("0.0.0.0");
                InetSocketAddress me = new InetSocketAddress(local, nextPort());
                w.write(e.time(), me, e.server(), false, e.query());
                if (e.answer() != null) w.write(e.time(), e.server(), me, false, e.answer());
            }
            written.incrementAndGet();
        } catch (IOException ex) {
            String err = "pcap " + e.zone() + ": " + ex;
            if (!err.equals(lastError)) log.warn("capture: cannot write pcap for {}: {}", e.zone(), ex.toString());
            lastError = err;
        }
    }

    /** Closes the pcap files of zones that no longer capture (reload), once per interval. */
    private void closeStoppedPcaps() {
        Map<Name, Flags> z = zones;
        pcaps.entrySet().removeIf(e -> {
            Flags f = z.get(e.getKey());
            if (f != null && f.pcap()) return false;
            try {
                e.getValue().close();
            } catch (IOException ex) {
                log.warn("capture: closing {}: {}", e.getValue().current(), ex.getMessage());
            }
            return true;
        });
    }

    private int nextPort() {
        soaPort = soaPort >= 65535 ? 49152 : soaPort + 1;
        return soaPort;
    }

    private void count(Event e) {
        DscDataset d = dsc.computeIfAbsent(e.zone(), z -> new DscDataset());
        if (e.isNotify()) {
            d.count("notify_transport_vs_rcode", e.transport(), Integer.toString(e.rcode()));
            d.count("notify_client_addr", "ALL", AddressText.of(e.client().getAddress()));
            return;
        }
        String server = ConfigValues.format(e.server());
        if (e.answer() != null && e.serial() >= 0) {
            d.count("soa_server_vs_result", server, "ok");
            Long prev = lastSerial.put(e.zone(), e.serial());
            if (prev != null && prev != e.serial()) d.count("serial_change", "ALL", Long.toString(e.serial()));
        } else {
            d.count("soa_server_vs_result", server, "failed");
            d.count("soa_failure_reason", "ALL", DscDataset.reason(e.failure()));
        }
    }

    /** Writes one dataset per DSC zone (empty ones too: a quiet interval is data), then starts afresh. */
    private void flushDsc(long stopMillis) {
        long start = intervalStart / 1000;
        long stop = stopMillis / 1000;
        for (Map.Entry<Name, Flags> z : zones.entrySet()) {
            if (!z.getValue().dsc()) continue;
            DscDataset d = dsc.getOrDefault(z.getKey(), new DscDataset());
            try {
                d.write(directory.resolve(dirName(z.getKey())).resolve("dsc"), start, stop);
            } catch (IOException ex) {
                String err = "dsc " + z.getKey() + ": " + ex;
                if (!err.equals(lastError)) log.warn("capture: cannot write DSC data for {}: {}", z.getKey(), ex.toString());
                lastError = err;
            }
        }
        dsc.clear();
    }

    /** The per-zone directory and file base name: the zone without trailing dot, lower case ("root" for "."). */
    static String dirName(Name zone) {
        String s = zone.toString().toLowerCase(Locale.ROOT);
        if (s.equals(".")) return "root";
        if (s.endsWith(".")) s = s.substring(0, s.length() - 1);
        return s.replaceAll("[/\\\\\\u0000]", "_");
    }

    public Health health() {
        String d = written.get() + " exchanges written, " + dropped.get() + " dropped, " + queue.size() + " queued";
        return lastError.isEmpty() && dropped.get() == 0 ? Health.ok(d) : Health.degraded(d + "; " + lastError);
    }

    /** Writes what is queued, a last (partial) DSC dataset, and closes the files. */
    @Override
    public void close() {
        running = false;
        if (writer != null) {
            writer.interrupt();
            try {
                writer.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Event e;
        while ((e = queue.poll()) != null) {
            try {
                handle(e);
            } catch (RuntimeException ex) {
                log.warn("capture: {}", ex.toString());
            }
        }
        if (writer != null && zones.values().stream().anyMatch(Flags::dsc)) {
            long now = clock.millis();
            if (now / 1000 > intervalStart / 1000) flushDsc(now);
        }
        for (PcapWriter w : pcaps.values()) {
            try {
                w.close();
            } catch (IOException ex) {
                log.warn("capture: closing {}: {}", w.current(), ex.getMessage());
            }
        }
        pcaps.clear();
    }
}
