package net.dnsoops.input.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import net.dnsoops.config.ConfigDiff;
import net.dnsoops.core.AddressText;
import net.dnsoops.core.CoreSink;
import net.dnsoops.core.Health;
import net.dnsoops.core.Input;
import net.dnsoops.dbus.BusAddresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Server health (issue 10): asks each configured name server for a zone's SOA every interval
 * (and, with "systemd-unit", its unit's ActiveState) and, after {@code rise} good or {@code fall}
 * failed probes in a row, tells the core the server is up or down. Extended DNS Errors in the
 * answers go to the core too. Blocking dnsjava queries on a small scheduler of its own: a probe
 * is one query per second per server, not a hot path. A reload ({@link #reconfigure}) keeps the
 * state of every probe whose server stays.
 */
public final class ProbeInput implements Input {
    private static final Logger log = LoggerFactory.getLogger(ProbeInput.class);

    private List<ProbeConfig> probes;
    /** Server name → its probe and schedule; guarded by {@code this}. */
    private final Map<String, Running> running = new LinkedHashMap<>();
    /** Bus address → reader of systemd unit states, made when a probe first names a unit. */
    private final Map<String, SystemdUnits> systemd = new HashMap<>();
    private ScheduledExecutorService timer;
    private CoreSink core;

    private static final class Running {
        final Probe probe;
        ScheduledFuture<?> schedule;

        Running(Probe probe) {
            this.probe = probe;
        }
    }

    public ProbeInput(List<ProbeConfig> probes) {
        this.probes = List.copyOf(probes);
    }

    @Override
    public String name() {
        return "probe";
    }

    @Override
    public synchronized void start(CoreSink core) {
        this.core = core;
        timer = Executors.newScheduledThreadPool(4, r -> {
            Thread t = new Thread(r, "dns-oops-probe");
            t.setDaemon(true);
            return t;
        });
        for (ProbeConfig c : probes) add(c);
    }

    /**
     * Applies a reloaded "probe" list. A server that stays keeps its probe: its up/down state
     * (so no condition is repeated) and, if it still asks the same thing of the same address, its
     * rise/fall counts; changed intervals, thresholds and services apply from the next probe. A
     * removed server's probe stops and the core clears what it said. Returns false once the list
     * is empty (the daemon then closes this input).
     */
    public synchronized boolean reconfigure(List<ProbeConfig> next) {
        ConfigDiff<ProbeConfig> diff = ConfigDiff.of(probes, next, ProbeConfig::serverName);
        for (ProbeConfig gone : diff.removed()) {
            Running r = running.remove(gone.serverName());
            r.schedule.cancel(false);
            r.probe.retire(); // a probe in flight reports nothing after this
            core.probeRemoved(gone.serverName());
            log.info("probe of {} removed", gone.serverName());
        }
        for (ConfigDiff.Changed<ProbeConfig> ch : diff.changed()) {
            Running r = running.get(ch.after().serverName());
            r.probe.reconfigure(ch.after(), units(ch.after()));
            if (!ch.before().interval.equals(ch.after().interval)) {
                r.schedule.cancel(false);
                r.schedule = schedule(r.probe, ch.after());
            }
            log.info("probe of {} changed{}", ch.after().serverName(),
                    ch.before().sameTarget(ch.after()) ? "" : " (new target: rise/fall counts start over)");
        }
        for (ProbeConfig c : diff.added()) {
            add(c);
            log.info("probe of {} added", c.serverName());
        }
        probes = List.copyOf(next);
        return !probes.isEmpty();
    }

    /** The running probe of a server, or null (for tests). */
    synchronized Probe probe(String serverName) {
        Running r = running.get(serverName);
        return r == null ? null : r.probe;
    }

    private void add(ProbeConfig c) {
        Running r = new Running(new Probe(c, core, units(c)));
        r.schedule = schedule(r.probe, c);
        running.put(c.serverName(), r);
    }

    private ScheduledFuture<?> schedule(Probe p, ProbeConfig c) {
        return timer.scheduleWithFixedDelay(p::run, 0, c.interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private SystemdUnits units(ProbeConfig c) {
        if (c.systemdUnit == null) return null;
        return systemd.computeIfAbsent(BusAddresses.resolve(c.systemdBus), SystemdUnits::new);
    }

    @Override
    public synchronized Health health() {
        List<String> down = running.values().stream().filter(r -> r.probe.state() == State.DOWN)
                .map(r -> r.probe.serverName()).toList();
        for (Map.Entry<String, SystemdUnits> e : systemd.entrySet()) {
            Health h = e.getValue().health();
            if (h.status() != Health.Status.OK) return Health.degraded("systemd bus " + e.getKey() + ": " + h.detail());
        }
        return down.isEmpty() ? Health.ok("") : Health.ok("down: " + String.join(", ", down));
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
        systemd.values().forEach(SystemdUnits::close);
        systemd.clear();
    }

    enum State { UNKNOWN, UP, DOWN }

    /**
     * One server's probe; run by the scheduler, one run at a time. Its settings may be replaced
     * by a reload while a run is in flight: a run's outcome counts only for the settings it ran with.
     */
    static final class Probe {
        final CoreSink core;
        private ProbeConfig c;
        private SystemdUnits units;
        private SimpleResolver resolver;
        /** Bumped when the target changes: an outcome of an older target is dropped. */
        private int target;
        private boolean retired;
        private State state = State.UNKNOWN;
        private int good;
        private int bad;

        Probe(ProbeConfig c, CoreSink core) {
            this(c, core, null);
        }

        Probe(ProbeConfig c, CoreSink core, SystemdUnits units) {
            this.core = core;
            this.c = c;
            this.units = units;
            this.resolver = resolverFor(c);
        }

        private static SimpleResolver resolverFor(ProbeConfig c) {
            SimpleResolver r = new SimpleResolver(c.address);
            r.setTimeout(c.timeout);
            r.setTCP(c.tcp);
            r.setIgnoreTruncation(false);
            return r;
        }

        void run() {
            ProbeConfig c;
            SimpleResolver resolver;
            SystemdUnits units;
            int target;
            synchronized (this) {
                if (retired) return;
                c = this.c;
                resolver = this.resolver;
                units = this.units;
                target = this.target;
            }
            String failure;
            String nsid = "";
            Map<Integer, String> ede = null;
            try {
                Message q = Message.newQuery(Record.newRecord(c.zone, Type.SOA, DClass.IN));
                List<EDNSOption> opts = c.nsid ? List.of(new org.xbill.DNS.NSIDOption(new byte[0]))
                        : List.of();
                q.addRecord(new OPTRecord(1232, 0, 0, 0, opts), Section.ADDITIONAL);
                Message r = resolver.send(q);
                ede = ExtendedErrors.of(r, c.edeCodes);
                failure = judge(c, r);
                nsid = nsidOf(r);
            } catch (IOException e) {
                failure = "no answer: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
            } catch (RuntimeException e) {
                failure = "probe failed: " + e;
            }
            if (units != null) {
                // A unit that is not active is down even if its port still answers (e.g. "deactivating").
                // A state that cannot be read is no evidence either way: the DNS answer decides.
                StringBuilder problem = new StringBuilder();
                Optional<String> active = units.activeState(c.systemdUnit, c.timeout, problem);
                if (active.isEmpty()) {
                    log.debug("probe {}: state of {} unknown: {}", c.serverName(), c.systemdUnit, problem);
                } else if (!active.get().equals("active")) {
                    failure = "unit " + c.systemdUnit + " is " + active.get() + (failure == null ? "" : "; " + failure);
                }
            }
            report(target, ede, failure, nsid);
        }

        private synchronized void report(int ranFor, Map<Integer, String> ede, String failure, String nsid) {
            if (retired || ranFor != target) return;
            if (ede != null) core.extendedErrors("probe", c.serverName(), c.zone, ede);
            observe(failure, nsid);
        }

        private static String judge(ProbeConfig c, Message r) {
            if (r.getRcode() != Rcode.NOERROR) return Rcode.string(r.getRcode()) + " for " + c.zone + " SOA";
            if (!r.getHeader().getFlag(Flags.AA)) return "answer for " + c.zone + " SOA not authoritative";
            for (Record rec : r.getSection(Section.ANSWER)) {
                if (rec.getType() == Type.SOA && rec.getName().equals(c.zone)) return null;
            }
            return "no SOA for " + c.zone + " in the answer";
        }

        private static String nsidOf(Message r) {
            OPTRecord opt = r.getOPT();
            if (opt == null) return "";
            for (EDNSOption o : opt.getOptions(EDNSOption.Code.NSID)) {
                byte[] w = o.toWire(); // code (2), length (2), data
                if (w.length > 4) return new String(w, 4, w.length - 4, StandardCharsets.UTF_8);
            }
            return "";
        }

        /** Applies rise/fall to one probe's outcome (null failure: good). */
        synchronized void observe(String failure, String nsid) {
            if (retired) return;
            if (failure == null) {
                bad = 0;
                good++;
                if (state != State.UP && good >= c.rise) {
                    state = State.UP;
                    String detail = good + " good probe(s) of " + c.zone + " at " + AddressText.of(c.address) + (nsid.isEmpty() ? "" : ", nsid " + nsid)
                            + (c.systemdUnit == null ? "" : ", unit " + c.systemdUnit + " active");
                    log.info("server {} up: {}", c.serverName(), detail);
                    core.serverHealth(c.serverName(), true, Set.copyOf(c.services), detail);
                }
            } else {
                good = 0;
                bad++;
                if (state != State.DOWN && bad >= c.fall) {
                    state = State.DOWN;
                    String detail = bad + " failed probe(s): " + failure;
                    log.warn("server {} down: {}", c.serverName(), detail);
                    core.serverHealth(c.serverName(), false, Set.copyOf(c.services), detail);
                }
            }
        }

        /**
         * A reload changed this server's settings. Its up/down state stays (the next verdict
         * under the new settings changes it, as always after rise or fall probes); the counts stay
         * too unless the target changed. A down server whose services changed is said down again
         * with the new services, so that the core holds back the right ones.
         */
        synchronized void reconfigure(ProbeConfig next, SystemdUnits nextUnits) {
            ProbeConfig before = c;
            c = next;
            units = nextUnits;
            resolver = resolverFor(next);
            if (!before.sameTarget(next)) {
                target++;
                good = 0;
                bad = 0;
            }
            if (state == State.DOWN && !Set.copyOf(before.services).equals(Set.copyOf(next.services))) {
                core.serverHealth(next.serverName(), false, Set.copyOf(next.services),
                        "still down; services changed by a reload to " + next.services);
            }
        }

        /** The probe was removed: nothing it finds any more reaches the core. */
        synchronized void retire() {
            retired = true;
        }

        synchronized State state() {
            return state;
        }

        synchronized int goodInARow() {
            return good;
        }

        synchronized int failedInARow() {
            return bad;
        }

        synchronized String serverName() {
            return c.serverName();
        }
    }
}
