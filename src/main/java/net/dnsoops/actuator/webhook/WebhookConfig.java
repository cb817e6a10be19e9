package net.dnsoops.actuator.webhook;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.dnsoops.actuator.hook.EdeCodeFilter;
import net.dnsoops.actuator.hook.HookTrigger;
import net.dnsoops.config.Validated;

/**
 * The config's "webhook" section: POST one JSON document per condition to each URL. Defaults
 * are the field initialisers; see docs/webhook.md.
 */
public final class WebhookConfig implements Validated {
    /** Where to POST (http or https). Empty: the webhook actuator is off. */
    public List<String> urls = List.of();
    /** Conditions to send, hook syntax ("zone-updated", "zone-ready:any"); empty: every condition, raised and cleared. */
    public List<HookTrigger> on = List.of();
    /** Only "ede" conditions with these Extended DNS Error codes, e.g. [18, 22]; empty: every code. Other conditions are not affected. */
    public List<Integer> edeCodes = List.of();
    /** Shared secret for the HMAC-SHA256 signature header; null: unsigned. */
    public String secret;
    /** File holding the secret (first line), so the config can be world-readable. */
    public String secretFile;
    /** The header carrying "sha256=" + hex HMAC-SHA256 of the body. */
    public String signatureHeader = "X-Dns-Oops-Signature";
    /** Extra request headers, e.g. an Authorization token. */
    public Map<String, String> headers = new LinkedHashMap<>();
    /** Connect and request timeout, per attempt. */
    public Duration timeout = Duration.ofSeconds(5);
    /** First wait after a failed POST; doubles each time up to max-backoff. Retries go on until it is delivered. */
    public Duration retryBackoff = Duration.ofSeconds(1);
    /** Longest wait between retries. */
    public Duration maxBackoff = Duration.ofMinutes(1);
    /** Documents queued per URL; when full the oldest is dropped (and counted, and logged). */
    public int queueSize = 1000;

    @Override
    public void validate() {
        EdeCodeFilter.validate(edeCodes, on);
        for (String u : urls) {
            URI uri;
            try {
                uri = URI.create(u);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("\"urls\": '" + u + "' is not a URL");
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("\"urls\": '" + u + "' must be an http:// or https:// URL");
            }
        }
        if (secret != null && secretFile != null) {
            throw new IllegalArgumentException("give \"secret\" or \"secret-file\", not both");
        }
        if (secret != null && secret.isEmpty()) throw new IllegalArgumentException("\"secret\" must not be empty");
        if (timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("\"timeout\" must be positive");
        if (retryBackoff.isZero() || retryBackoff.isNegative()) {
            throw new IllegalArgumentException("\"retry-backoff\" must be positive");
        }
        if (maxBackoff.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException("\"max-backoff\" must be at least \"retry-backoff\"");
        }
        if (queueSize < 1) throw new IllegalArgumentException("\"queue-size\" must be at least 1");
        if (signatureHeader.isBlank()) throw new IllegalArgumentException("\"signature-header\" must not be empty");
    }

    public boolean enabled() {
        return !urls.isEmpty();
    }

    /** The signing key, read from "secret" or "secret-file"; null when unsigned. */
    public byte[] key() {
        if (secret != null) return secret.getBytes(StandardCharsets.UTF_8);
        if (secretFile == null) return null;
        try {
            String s = Files.readAllLines(Path.of(secretFile), StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
            if (s.isEmpty()) throw new IllegalStateException("webhook secret-file " + secretFile + " is empty");
            return s.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read webhook secret-file " + secretFile + ": " + e.getMessage(), e);
        }
    }
}
