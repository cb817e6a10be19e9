package net.dnsoops.input.serverzones;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import net.dnsoops.config.ConfigDiff;
import net.dnsoops.core.CoreSink;
import net.dnsoops.core.Health;
import net.dnsoops.core.Input;
import net.dnsoops.input.ControlCommand;
import net.dnsoops.ops.OpsContributor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * The operator's safety net against a forgotten zone: reads each configured local name server's
 * own zone list (nsd-control zonestatus, knotc zone-status) on start and every interval and
 * hands it to the core, which raises zone-unwatched for each zone served but not watched. A
 * reading that fails changes nothing in the core (the last good list stands) and shows as a
 * failure in this component's health.
 */
public final class ServerZonesInput implements Input, OpsContributor {
    private static final Logger log = LoggerFactory.getLogger(ServerZonesInput.class);
    /** How many unwatched zones health and /status name; the count is always whole. */
    static final int LISTED = 10;

    private final Clock clock;
    private List<ServerZonesConfig> configs;
    /** Server name → its reader; guarded by {@code this}. */
    private final Map<String, Reader> readers = new LinkedHashMap<>();
    private ScheduledExecutorService timer;
    private CoreSink core;
    /** For BIND's statistics channel; made on first use. */
    private java.net.http.HttpClient http;

    public ServerZonesInput(List<ServerZonesConfig> configs, Clock clock) {
        this.configs = List.copyOf(configs);
        this.clock = clock;
    }

    @Override
    public String name() {
        return "server-zones";
    }

    @Override
    public synchronized void start(CoreSink core) {
        this.core = core;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dns-oops-server-zones");
            t.setDaemon(true);
            return t;
        });
        for (ServerZonesConfig c : configs) add(c, null);
    }

    /**
     * Applies a reloaded "server-zones" list. A changed server is read again at once under its
     * new settings; its zone-unwatched stay as they are until that reading says otherwise. A
     * removed server's reader stops and the core clears its zone-unwatched. Returns false once
     * the list is empty.
     */
    public synchronized boolean reconfigure(List<ServerZonesConfig> next) {
        ConfigDiff<ServerZonesConfig> diff = ConfigDiff.of(configs, next, ServerZonesConfig::serverName);
        for (ServerZonesConfig gone : diff.removed()) {
            readers.remove(gone.serverName()).retire();
            core.serverZonesRemoved(gone.serverName());
            log.info("zone list of {} no longer read", gone.serverName());
        }
        for (ConfigDiff.Changed<ServerZonesConfig> ch : diff.changed()) {
            Reader before = readers.remove(ch.after().serverName());
            before.retire();
            add(ch.after(), before);
            log.info("zone list of {} changed", ch.after().serverName());
        }
        for (ServerZonesConfig c : diff.added()) {
            add(c, null);
            log.info("zone list of {} added", c.serverName());
        }
        configs = List.copyOf(next);
        return !configs.isEmpty();
    }

    /** {@code before}: the reader this one replaces (same server, changed settings), or null. */
    private void add(ServerZonesConfig c, Reader before) {
        Reader r = new Reader(c);
        if (before != null) r.takeOver(before);
        readers.put(c.serverName(), r);
        r.schedule = timer.scheduleWithFixedDelay(r::run, 0, c.interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized Health health() {
        List<String> failed = new ArrayList<>();
        List<String> unwatched = new ArrayList<>();
        int unwatchedCount = 0;
        int served = 0;
        for (Reader r : readers.values()) {
            Reader.View v = r.view();
            if (v.error != null) failed.add(v.server + ": " + v.error);
            unwatchedCount += v.unwatched.size();
            served += v.served;
            for (Name z : v.unwatched) if (unwatched.size() < LISTED) unwatched.add(v.server + " " + z);
        }
        String uw = unwatchedCount == 0 ? "" : unwatchedCount + " zone(s) served but not watched: "
                + String.join(", ", unwatched) + (unwatchedCount > unwatched.size() ? ", ..." : "");
        if (!failed.isEmpty()) {
            // Degraded, not failed: failed would make /health/ready say dns-oops cannot signal,
            // and it still can; a name server being restarted must not take the daemon out of service.
            return Health.degraded("cannot read the zone list of " + String.join("; ", failed)
                    + (uw.isEmpty() ? "" : "; from the last good list: " + uw));
        }
        if (!uw.isEmpty()) return Health.degraded(uw);
        return Health.ok(served + " zone(s) served, all watched");
    }

    @Override
    public synchronized Map<String, Object> statusDetails() {
        int total = 0;
        Map<String, Object> servers = new LinkedHashMap<>();
        for (Reader r : readers.values()) {
            Reader.View v = r.view();
            total += v.unwatched.size();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("served", v.served);
            s.put("unwatched", v.unwatched.size());
            s.put("unwatched-zones", v.unwatched.stream().limit(LISTED).map(Name::toString).toList());
            s.put("last-read", v.lastRead == null ? null : v.lastRead.toString());
            s.put("error", v.error);
            servers.put(v.server, s);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zones-unwatched", total);
        m.put("servers", servers);
        return m;
    }

    @Override
    public synchronized void metrics(Samples out) {
        for (Reader r : readers.values()) {
            Reader.View v = r.view();
            out.gauge("dns_oops_zones_unwatched", "Zones a local name server serves that dns-oops does not watch",
                    v.unwatched.size(), "server", v.server);
            out.gauge("dns_oops_server_zones_read_ok", "1 when the last reading of a name server's zone list succeeded",
                    v.error == null ? 1 : 0, "server", v.server);
        }
    }

    private synchronized java.net.http.HttpClient http(ServerZonesConfig c) {
        if (http == null) http = java.net.http.HttpClient.newBuilder().connectTimeout(c.timeout).build();
        return http;
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
    }

    /** One server's readings; run by the timer. */
    final class Reader {
        private final ServerZonesConfig c;
        ScheduledFuture<?> schedule;
        private boolean retired;
        private int served = -1;
        private Set<Name> unwatched = Set.of();
        private Instant lastRead;
        private String error;

        record View(String server, int served, Set<Name> unwatched, Instant lastRead, String error) {
        }

        Reader(ServerZonesConfig c) {
            this.c = c;
        }

        synchronized View view() {
            return new View(c.serverName(), Math.max(served, 0), unwatched, lastRead, error);
        }

        /**
         * Shows what the reader it replaces (same server, changed settings) last knew, as the
         * core still holds it, until this reader's own first reading.
         */
        void takeOver(Reader before) {
            View v = before.view();
            synchronized (this) {
                served = v.served();
                unwatched = v.unwatched();
                lastRead = v.lastRead();
            }
        }

        synchronized void retire() {
            retired = true;
            schedule.cancel(false);
        }

        void run() {
            Set<Name> zones;
            try {
                zones = switch (c.server) {
                    case "nsd" -> ZoneLists.nsd(ControlCommand.run(c.command(), c.timeout));
                    case "knot" -> ZoneLists.knot(ControlCommand.run(c.command(), c.timeout));
                    default -> ZoneLists.bind(ControlCommand.httpGet(http(c), c.url(), c.timeout));
                };
            } catch (IOException e) {
                // The HTTP client's connection errors often carry no message of their own.
                String why = e.getMessage() != null ? e.getMessage() : e.toString();
                fail(c.server.equals("bind") && !why.contains(c.url()) ? "GET " + c.url() + ": " + why : why);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            synchronized (this) {
                if (retired) return;
                boolean wasFailing = error != null;
                error = null;
                served = zones.size();
                lastRead = clock.instant();
                if (wasFailing) log.info("zone list of {} read again: {} zone(s)", c.serverName(), zones.size());
                // Submitted under this lock: a retire() after it reaches the core after this list.
                core.zonesServed(c.serverName(), zones, this::unwatchedNow);
            }
        }

        private synchronized void fail(String why) {
            if (retired) return;
            if (!why.equals(error)) log.warn("zone list of {}: {} (the last good list stays)", c.serverName(), why);
            error = why;
        }

        private synchronized void unwatchedNow(Set<Name> zones) {
            if (!retired) unwatched = Set.copyOf(zones);
        }
    }
}
