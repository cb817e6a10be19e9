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
import net.dnsoops.core.CheckRequest;
import net.dnsoops.core.CheckResult;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * One verification: ask each target in order, each up to {@code tries} times, until one gives an
 * authoritative SOA. UDP first; dnsjava's resolver retries over TCP when the answer is truncated.
 */
final class SoaQuery {
    /** One resolver per target and timeout: dnsjava keeps the timeout on the resolver. */
    private record Key(InetSocketAddress target, Duration timeout, TSIG tsig, boolean tcp) {
    }

    private final Map<Key, SimpleResolver> resolvers = new ConcurrentHashMap<>();
    private final Executor executor;
    private final UdpSoaClient udp;
    private volatile TrafficObserver observer = TrafficObserver.NONE;

    /** Reports queries and answers of zones that capture traffic (pcap/DSC). */
    void observe(TrafficObserver o) {
        observer = o;
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
        if (key == null) {
            // The common case: our own UDP client; a truncated answer is asked again over TCP.
            return udp.query(zone, target, timeout).handle((reply, error) -> {
                if (error != null) {
                    return CompletableFuture.completedFuture(observed(zone, target, null,
                            CheckResult.failure(zone, describe(error, target)), false));
                }
                if (reply.fast() != null) {
                    return CompletableFuture.completedFuture(observed(zone, target, reply, reply.fast()));
                }
                Message response = reply.message();
                if (response.getHeader().getFlag(org.xbill.DNS.Flags.TC)) return viaResolver(zone, target, timeout, null, true);
                return CompletableFuture.completedFuture(observed(zone, target, response,
                        SoaAnswer.judge(zone, response, target, false), false));
            }).thenCompose(f -> f);
        }
        return viaResolver(zone, target, timeout, key, false);
    }

    /** dnsjava's resolver: for TSIG-signed queries and TCP retries of truncated answers. */
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
                out.complete(observed(zone, target, null, CheckResult.failure(zone, describe(error, target)), true));
            } else {
                out.complete(observed(zone, target, response, SoaAnswer.judge(zone, response, target, key != null), true));
            }
        });
        return out;
    }

    /** As below for an answer the fast path judged: parsed for the observer only if it captures this zone. */
    private CheckResult observed(Name zone, InetSocketAddress target, SoaReply reply, CheckResult result) {
        TrafficObserver obs = observer;
        if (obs == TrafficObserver.NONE || !obs.wants(zone)) return result;
        return observed(zone, target, reply.parsed(), result, false);
    }

    /**
     * Hands the exchange to the traffic observer if it captures this zone; returns {@code result}.
     * The query is rebuilt as sent (the answer's ID; EDNS when dnsjava's resolver sent it).
     */
    private CheckResult observed(Name zone, InetSocketAddress target, Message response, CheckResult result, boolean edns) {
        TrafficObserver obs = observer;
        if (obs == TrafficObserver.NONE || !obs.wants(zone)) return result;
        Message q = Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN));
        q.getHeader().unsetFlag(org.xbill.DNS.Flags.RD);
        if (response != null) q.getHeader().setID(response.getHeader().getID());
        if (edns) q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        obs.soaExchange(zone, target, q.toWire(), response == null ? null : response.toWire(),
                result.success() ? result.serial() : -1, result.failure());
        return result;
    }

    private static SimpleResolver resolver(Key key) {
        SimpleResolver r = new SimpleResolver(key.target());
        r.setTimeout(key.timeout());
        r.setEDNS(0, 1232, 0, List.of());
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
        return what + " querying " + target.getAddress().getHostAddress() + "@" + target.getPort();
    }
}
