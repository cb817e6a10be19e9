package net.dnsoops.actuator.relay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.dnsoops.config.ConfigValues;
import net.dnsoops.config.TsigKeys;
import net.dnsoops.core.Actuator;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.core.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * NOTIFY relay (config "relay"): on zone-updated (a serial dns-oops verified itself), sends
 * NOTIFY for the zone to each downstream target over UDP or TCP, optionally TSIG-signed, like a
 * primary: up to {@code tries} sends, {@code retry-interval} apart, until an answer arrives. A
 * refusal (ICMP port unreachable, a TCP reset) waits out the interval like silence does, so a
 * target that is restarting still gets the NOTIFY once it is back.
 * Sends are asynchronous (dnsjava); {@link #apply} only starts them. A new update while a
 * NOTIFY to the same target is still unanswered is coalesced: one more NOTIFY follows it.
 */
public final class RelayActuator implements Actuator {
    private static final Logger log = LoggerFactory.getLogger(RelayActuator.class);

    private final RelayConfig config;
    private final TsigKeys keys;
    /** dnsjava's callbacks, and the waits before a try that follows a refusal. */
    private final ScheduledExecutorService callbacks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dns-oops-relay");
        t.setDaemon(true);
        return t;
    });
    /** Per zone+target: absent = idle, FALSE = in flight, TRUE = in flight and another update came. */
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicReference<String> lastFailure = new AtomicReference<>("");

    /** {@code keys}: the daemon's TSIG keys (top-level "keys"/"keys-file"), which targets name. */
    public RelayActuator(RelayConfig config, TsigKeys keys) {
        this.config = config;
        this.keys = keys;
    }

    @Override
    public String name() {
        return "relay";
    }

    @Override
    public void apply(Condition c) {
        if (c.type() != ConditionType.ZONE_UPDATED || !c.raised() || c.zone() == null) return;
        Name zone;
        try {
            zone = Name.fromString(c.zone(), Name.root);
        } catch (TextParseException e) {
            return;
        }
        for (RelayConfig.Target t : config.targetsFor(zone)) relay(zone, t);
    }

    private void relay(Name zone, RelayConfig.Target t) {
        String key = zone + " " + t;
        Boolean before = inFlight.putIfAbsent(key, Boolean.FALSE);
        if (before != null) {
            inFlight.put(key, Boolean.TRUE); // coalesce: one more after the current one
            return;
        }
        if (pending.incrementAndGet() > config.queueSize) {
            pending.decrementAndGet();
            inFlight.remove(key);
            long n = dropped.incrementAndGet();
            log.warn("relay: {} NOTIFYs outstanding, dropped NOTIFY {} to {} ({} dropped so far)", config.queueSize, zone,
                    t, n);
            return;
        }
        send(zone, t, key, notify(zone), 1);
    }

    /** The NOTIFY message (RFC 1996): opcode NOTIFY, AA set, the zone's SOA as the question. */
    static Message notify(Name zone) {
        Message m = Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN));
        m.getHeader().setOpcode(Opcode.NOTIFY);
        m.getHeader().unsetFlag(Flags.RD);
        m.getHeader().setFlag(Flags.AA);
        return m;
    }

    private void send(Name zone, RelayConfig.Target t, String key, Message msg, int attempt) {
        SimpleResolver r = new SimpleResolver(t.address);
        r.setTCP(t.tcp());
        r.setTimeout(config.retryInterval);
        TSIG tsig = t.key == null ? null : keys.get(ConfigValues.zoneName(t.key));
        if (tsig != null) r.setTSIGKey(tsig);
        sent.incrementAndGet();
        long start = System.nanoTime();
        r.sendAsync(msg.clone(), callbacks).whenComplete((resp, err) -> {
            String problem = null;
            if (err != null) {
                problem = describe(err);
            } else if (tsig != null && !resp.isVerified()) {
                problem = "answer's TSIG did not verify";
            } else if (resp.getRcode() != Rcode.NOERROR) {
                problem = Rcode.string(resp.getRcode());
            }
            // Silence and refusal are retried; an answer, even an error, is the target's word.
            boolean retry = problem != null && err != null && attempt < config.tries;
            if (retry) {
                long wait = config.retryInterval.toNanos() - (System.nanoTime() - start);
                log.debug("relay: NOTIFY {} to {} try {} failed ({}), retrying", zone, t, attempt, problem);
                callbacks.schedule(() -> send(zone, t, key, msg, attempt + 1), Math.max(0, wait), TimeUnit.NANOSECONDS);
                return;
            }
            if (problem == null) {
                answered.incrementAndGet();
                log.info("relay: NOTIFY {} to {} answered NOERROR", zone, t);
            } else {
                failed.incrementAndGet();
                lastFailure.set(zone + " to " + t + ": " + problem);
                log.warn("relay: NOTIFY {} to {} failed after {} tries: {}", zone, t, attempt, problem);
            }
            finished(zone, t, key);
        });
    }

    private void finished(Name zone, RelayConfig.Target t, String key) {
        if (inFlight.remove(key, Boolean.FALSE)) {
            pending.decrementAndGet();
            return;
        }
        // Another update arrived meanwhile: notify once more for it.
        inFlight.put(key, Boolean.FALSE);
        send(zone, t, key, notify(zone), 1);
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        if (t instanceof java.net.SocketTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
            return "timeout";
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    public long sent() {
        return sent.get();
    }

    public long answered() {
        return answered.get();
    }

    public long failed() {
        return failed.get();
    }

    @Override
    public Health health() {
        String d = sent.get() + " sent, " + answered.get() + " answered, " + failed.get() + " failed, "
                + dropped.get() + " dropped, " + pending.get() + " outstanding";
        return failed.get() + dropped.get() == 0 ? Health.ok(d) : Health.degraded(d + "; last: " + lastFailure.get());
    }

    /** Lets outstanding NOTIFYs finish (bounded by tries x retry-interval, at most 20 s). */
    @Override
    public void close() {
        long limit = Math.min(20_000, config.tries * config.retryInterval.toMillis() + 1000);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limit);
        while (pending.get() > 0 && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (pending.get() > 0) log.warn("relay: {} NOTIFYs unfinished at shutdown", pending.get());
        callbacks.shutdownNow();
    }
}
