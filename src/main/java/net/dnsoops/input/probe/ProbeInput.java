package net.dnsoops.input.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.dnsoops.core.CoreSink;
import net.dnsoops.core.Health;
import net.dnsoops.core.Input;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Server health (issue 10): asks each configured name server for a zone's SOA every interval
 * and, after {@code rise} good or {@code fall} failed probes in a row, tells the core the server
 * is up or down. Extended DNS Errors in the answers go to the core too. Blocking dnsjava queries
 * on a small scheduler of its own: a probe is one query per second per server, not a hot path.
 */
public final class ProbeInput implements Input {
    private static final Logger log = LoggerFactory.getLogger(ProbeInput.class);

    private final List<ProbeConfig> probes;
    private final List<Probe> running = new ArrayList<>();
    private ScheduledExecutorService timer;

    public ProbeInput(List<ProbeConfig> probes) {
        this.probes = List.copyOf(probes);
    }

    @Override
    public String name() {
        return "probe";
    }

    @Override
    public void start(CoreSink core) {
        timer = Executors.newScheduledThreadPool(Math.min(4, probes.size()), r -> {
            Thread t = new Thread(r, "dns-oops-probe");
            t.setDaemon(true);
            return t;
        });
        for (ProbeConfig c : probes) {
            Probe p = new Probe(c, core);
            running.add(p);
            timer.scheduleWithFixedDelay(p::run, 0, c.interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public Health health() {
        List<String> down = running.stream().filter(p -> p.state == State.DOWN).map(p -> p.c.serverName()).toList();
        return down.isEmpty() ? Health.ok("") : Health.ok("down: " + String.join(", ", down));
    }

    @Override
    public void close() {
        if (timer != null) timer.shutdownNow();
    }

    enum State { UNKNOWN, UP, DOWN }

    /** One server's probe; run only by the scheduler, one run at a time. */
    static final class Probe {
        final ProbeConfig c;
        final CoreSink core;
        final SimpleResolver resolver;
        State state = State.UNKNOWN;
        int good;
        int bad;

        Probe(ProbeConfig c, CoreSink core) {
            this.c = c;
            this.core = core;
            this.resolver = new SimpleResolver(c.address);
            resolver.setTimeout(c.timeout);
            resolver.setTCP(c.tcp);
            resolver.setIgnoreTruncation(false);
        }

        void run() {
            String failure;
            String nsid = "";
            try {
                Message q = Message.newQuery(Record.newRecord(c.zone, Type.SOA, DClass.IN));
                List<EDNSOption> opts = c.nsid ? List.of(new org.xbill.DNS.NSIDOption(new byte[0]))
                        : List.of();
                q.addRecord(new OPTRecord(1232, 0, 0, 0, opts), Section.ADDITIONAL);
                Message r = resolver.send(q);
                Map<Integer, String> ede = ExtendedErrors.of(r, c.edeCodes);
                core.extendedErrors("probe", c.serverName(), c.zone, ede);
                failure = judge(r);
                nsid = nsidOf(r);
            } catch (IOException e) {
                failure = "no answer: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
            } catch (RuntimeException e) {
                failure = "probe failed: " + e;
            }
            observe(failure, nsid);
        }

        private String judge(Message r) {
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
        void observe(String failure, String nsid) {
            if (failure == null) {
                bad = 0;
                good++;
                if (state != State.UP && good >= c.rise) {
                    state = State.UP;
                    String detail = good + " good probe(s) of " + c.zone + " at " + c.address.getAddress().getHostAddress()
                            + "@" + c.address.getPort() + (nsid.isEmpty() ? "" : ", nsid " + nsid);
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
    }
}
