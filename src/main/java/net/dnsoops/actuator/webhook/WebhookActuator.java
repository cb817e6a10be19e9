package net.dnsoops.actuator.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.dnsoops.actuator.ConditionDocument;
import net.dnsoops.actuator.Outbox;
import net.dnsoops.actuator.hook.EdeCodeFilter;
import net.dnsoops.core.Actuator;
import net.dnsoops.core.Condition;
import net.dnsoops.core.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook actuator (config "webhook"): POSTs one JSON document per condition to each URL, with
 * an optional HMAC-SHA256 signature header. Each URL has its own bounded {@link Outbox} and
 * thread, so a dead receiver delays nobody else; a failed POST (connection error, timeout or a
 * non-2xx status) is retried with backoff until it is delivered. {@link #apply} only queues.
 */
public final class WebhookActuator implements Actuator {
    private static final Logger log = LoggerFactory.getLogger(WebhookActuator.class);

    /** A document on its way: the body and the sequence number (per process) it carries. */
    record Post(long sequence, String label, byte[] body) {
        @Override
        public String toString() {
            return "#" + sequence + " " + label;
        }
    }

    private final WebhookConfig config;
    private final String site;
    private final List<Target> targets = new ArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private HttpClient client;
    private byte[] key;

    private final class Target {
        final URI uri;
        final Outbox<Post> outbox;

        Target(URI uri) {
            this.uri = uri;
            this.outbox = new Outbox<>("webhook " + uri, config.queueSize, config.retryBackoff, config.maxBackoff,
                    this::post);
        }

        void post(Post p) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(config.timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "dns-oops")
                    .header("X-Dns-Oops-Sequence", Long.toString(p.sequence()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(p.body()));
            config.headers.forEach(b::header);
            if (key != null) b.header(config.signatureHeader, signature(key, p.body()));
            HttpRequest request = b.build();
            HttpResponse<Void> r;
            try {
                r = client.send(request, HttpResponse.BodyHandlers.discarding());
            } catch (HttpTimeoutException | ConnectException e) {
                throw e; // the receiver is slow or down: that is a failure, retried after backoff
            } catch (IOException e) {
                // Most often a kept-alive connection the receiver (or a proxy) had closed while it
                // sat idle: the JDK client does not resend a POST by itself. Once more, at once, on a
                // new connection; if that fails too it is a real failure. A receiver that did get the
                // first copy sees the same X-Dns-Oops-Sequence twice.
                log.debug("webhook {} to {}: {}; sending again on a new connection", p, uri, e.toString());
                r = client.send(request, HttpResponse.BodyHandlers.discarding());
            }
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("HTTP " + r.statusCode() + " from " + uri);
            }
            log.debug("webhook {} delivered to {}", p, uri);
        }
    }

    public WebhookActuator(WebhookConfig config, String site) {
        this.config = config;
        this.site = site;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void start() {
        key = config.key();
        // HTTP/1.1 for http:// and https:// alike: the JDK's default (HTTP/2) asks every http:// receiver
        // for an h2c upgrade ("Connection: Upgrade, HTTP2-Settings"), which strict receivers and
        // proxies reject; one POST at a time per URL gains nothing from HTTP/2.
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(config.timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        for (String u : config.urls) targets.add(new Target(URI.create(u)));
        targets.forEach(t -> t.outbox.start());
    }

    @Override
    public void apply(Condition c) {
        if (!config.on.isEmpty() && config.on.stream().noneMatch(t -> t.matches(c))) return;
        if (!EdeCodeFilter.admits(config.edeCodes, c)) return;
        long seq = sequence.incrementAndGet();
        ObjectNode doc = ConditionDocument.of(c, site);
        doc.put("sequence", seq);
        Post p = new Post(seq, c.toString(), ConditionDocument.bytes(doc));
        for (Target t : targets) t.outbox.offer(p);
    }

    /** "sha256=" + lower-case hex HMAC-SHA256 of {@code body} under {@code key} (GitHub's convention). */
    public static String signature(byte[] key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Health health() {
        // The worst URL decides: one unreachable receiver of two is a failed delivery path, not a hiccup.
        StringBuilder b = new StringBuilder();
        Health.Status worst = Health.Status.OK;
        for (Target t : targets) {
            if (b.length() > 0) b.append("; ");
            Health h = t.outbox.health();
            b.append(t.uri).append(": ").append(h.detail());
            if (h.status().ordinal() > worst.ordinal()) worst = h.status();
        }
        return new Health(worst, b.toString());
    }

    /** Documents dropped because a queue was full, over all URLs. */
    public long dropped() {
        return targets.stream().mapToLong(t -> t.outbox.dropped()).sum();
    }

    /** POSTs that failed and wait for a retry after backoff, over all URLs. */
    public long failedAttempts() {
        return targets.stream().mapToLong(t -> t.outbox.failedAttempts()).sum();
    }

    /** Documents waiting to be delivered, over all URLs. */
    public int queued() {
        return targets.stream().mapToInt(t -> t.outbox.queued()).sum();
    }

    @Override
    public void close() {
        for (Target t : targets) t.outbox.close();
    }
}
