package net.dnsoops.input.soa;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import net.dnsoops.capture.TrafficObserver;
import net.dnsoops.core.AddressText;
import net.dnsoops.core.CheckRequest;
import net.dnsoops.core.CheckResult;
import net.dnsoops.input.probe.ExtendedErrors;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * One verification: ask each target in order, each up to {@code tries} times, until one gives an
 * authoritative SOA. UDP first; dnsjava's resolver retries over TCP when the answer is truncated.
 * Every path sends EDNS (the OPT goes before the TSIG, which stays last), and
 * every answer's Extended DNS Errors go to the {@link EdeListener}, whatever its rcode.
 */
final class SoaQuery {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SoaQuery.class);
    /** One resolver per target and timeout: dnsjava keeps the timeout on the resolver. */
    private record Key(InetSocketAddress target, Duration timeout, TSIG tsig, boolean tcp) {
    }

    private final Map<Key, SimpleResolver> resolvers = new ConcurrentHashMap<>();
    private final Executor executor;
    private final UdpSoaClient udp;
    private volatile TrafficObserver observer = TrafficObserver.NONE;
    private volatile EdeListener edeListener = (server, zone, codes) -> { };

    /** Told the Extended DNS Errors (code → text; empty: none) of every answer, errors included. */
    @FunctionalInterface
    interface EdeListener {
        void answered(InetSocketAddress server, Name zone, Map<Integer, String> codes);
    }

    /** Reports queries and answers of zones that capture traffic (pcap/DSC). */
    void observe(TrafficObserver o) {
        observer = o;
    }

    void onExtendedErrors(EdeListener l) {
        edeListener = l;
    }

    SoaQuery(Executor executor) {
        this.executor = executor;
        try {
            this.udp = new UdpSoaClient();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** UDP SOA queries that timed out (each is retried or fails over as the zone's soa-tries say). */
    long udpTimeouts() {
        return udp.timeouts();
    }

    void close() {
        udp.close();
    }

    CompletionStage<CheckResult> check(CheckRequest req) {
        return attempt(req, req.targets(), 0, 1, "no target to query");
    }

    private CompletionStage<CheckResult> attempt(CheckRequest req, List<InetSocketAddress> targets, int index,
                                                 int attempt, String lastFailure) {
        if (index >= targets.size()) {
            return CompletableFuture.completedFuture(CheckResult.failure(req.zone(), lastFailure));
        }
        InetSocketAddress target = targets.get(index);
        return ask(req.zone(), target, req.timeout(), req.key()).thenCompose(result -> {
            if (result.success()) return CompletableFuture.completedFuture(result);
            boolean again = attempt < req.tries();
            return attempt(req, targets, again ? index : index + 1, again ? attempt + 1 : 1, result.failure());
        });
    }

    private CompletionStage<CheckResult> ask(Name zone, InetSocketAddress target, Duration timeout, TSIG key) {
        // Our own UDP client, signed or not; a truncated answer is asked again over TCP.
        return udp.query(zone, target, timeout, key).handle((reply, error) -> {
            if (error != null) {
                return CompletableFuture.completedFuture(observed(zone, target, null,
                        CheckResult.failure(zone, describe(error, target))));
            }
            if (reply.fast() != null) {
                // the fast path takes only answers without EDE: tell the listener, so it can clear
                extendedErrors(zone, target, Map.of());
                return CompletableFuture.completedFuture(observedFast(zone, target, reply, reply.fast()));
            }
            Message response = reply.message();
            if (response.getHeader().getFlag(org.xbill.DNS.Flags.TC)) return viaResolver(zone, target, timeout, key, true);
            // Unverified TSIG answers are reported too: an EDE is a hint about the server, not a serial.
            extendedErrors(zone, target, response);
            return CompletableFuture.completedFuture(observed(zone, target, response,
                    SoaAnswer.judge(zone, response, target, key != null)));
        }).thenCompose(f -> f);
    }

    /** dnsjava's resolver: for TCP retries of truncated answers, signed or not. */
    private CompletionStage<CheckResult> viaResolver(Name zone, InetSocketAddress target, Duration timeout, TSIG key,
                                                     boolean tcp) {
        Message query = Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN));
        query.getHeader().unsetFlag(org.xbill.DNS.Flags.RD); // a secondary's query to a primary is not recursive
        SimpleResolver r = resolvers.computeIfAbsent(new Key(target, timeout, key, tcp), SoaQuery::resolver);
        CompletableFuture<CheckResult> out = new CompletableFuture<>();
        CompletionStage<Message> sent;
        try {
            sent = r.sendAsync(query, executor);
        } catch (RuntimeException e) {
            out.complete(CheckResult.failure(zone, describe(e, target)));
            return out;
        }
        sent.whenComplete((response, error) -> {
            if (error != null) {
                out.complete(observed(zone, target, null, CheckResult.failure(zone, describe(error, target))));
            } else {
                // Unverified TSIG answers are reported too: an EDE is a hint about the server, not a serial.
                extendedErrors(zone, target, response);
                out.complete(observed(zone, target, response, SoaAnswer.judge(zone, response, target, key != null)));
            }
        });
        return out;
    }

    /** As below for an answer the fast path judged: parsed for the observer only if it captures this zone. */
    private CheckResult observedFast(Name zone, InetSocketAddress target, SoaReply reply, CheckResult result) {
        TrafficObserver obs = observer;
        if (obs == TrafficObserver.NONE || !obs.wants(zone)) return result;
        return observed(zone, target, reply.parsed(), result);
    }

    private void extendedErrors(Name zone, InetSocketAddress target, Message response) {
        extendedErrors(zone, target, ExtendedErrors.of(response, List.of()));
    }

    private void extendedErrors(Name zone, InetSocketAddress target, Map<Integer, String> codes) {
        try {
            edeListener.answered(target, zone, codes);
        } catch (RuntimeException e) {
            log.warn("reporting the EDEs of {}'s SOA answer failed", zone, e); // never the check itself
        }
    }

    /**
     * Hands the exchange to the traffic observer if it captures this zone; returns {@code result}.
     * The query is rebuilt as sent (the answer's ID, EDNS; without the TSIG a signed query carries).
     */
    private CheckResult observed(Name zone, InetSocketAddress target, Message response, CheckResult result) {
        TrafficObserver obs = observer;
        if (obs == TrafficObserver.NONE || !obs.wants(zone)) return result;
        Message q = SoaQueryWire.message(zone);
        if (response != null) q.getHeader().setID(response.getHeader().getID());
        obs.soaExchange(zone, target, q.toWire(), response == null ? null : response.toWire(),
                result.success() ? result.serial() : -1, result.failure());
        return result;
    }

    private static SimpleResolver resolver(Key key) {
        SimpleResolver r = new SimpleResolver(key.target());
        r.setTimeout(key.timeout());
        r.setEDNS(0, SoaQueryWire.UDP_PAYLOAD, 0, List.of());
        if (key.tsig() != null) r.setTSIGKey(key.tsig());
        r.setTCP(key.tcp());
        return r;
    }

    private static String describe(Throwable e, InetSocketAddress target) {
        Throwable t = e;
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException)) {
            t = t.getCause();
        }
        String what = t instanceof java.net.SocketTimeoutException || t instanceof java.util.concurrent.TimeoutException
                ? "timeout" : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        return what + " querying " + AddressText.of(target);
    }
}
