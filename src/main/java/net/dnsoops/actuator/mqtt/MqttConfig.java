package net.dnsoops.actuator.mqtt;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.dnsoops.actuator.hook.EdeCodeFilter;
import net.dnsoops.actuator.hook.HookTrigger;
import net.dnsoops.config.Validated;

/**
 * The config's "mqtt" section: publish conditions to an MQTT 5 broker under
 * {@code <prefix>/<site>/...}. Defaults are the field initialisers; see docs/mqtt.md.
 */
public final class MqttConfig implements Validated {
    /** The broker: tcp://host:port, or ssl://host:port for TLS. Null: the MQTT actuator is off. */
    public String broker;
    /** Client identifier; default "dns-oops-" + site. Must be unique per broker. */
    public String clientId;
    /** First topic level(s). */
    public String topicPrefix = "dns-oops";
    public String username;
    public String password;
    /** File holding the password (first line), instead of "password". */
    public String passwordFile;
    /** PEM file of CA certificates to trust for ssl:// (default: the JVM's trust store). */
    public String caFile;
    /** QoS of every publish (0, 1 or 2). */
    public int qos = 1;
    /** MQTT keep-alive; the broker publishes the last will about 1.5 keep-alives after we vanish silently. */
    public Duration keepAlive = Duration.ofSeconds(30);
    /** Connect timeout, and how long one publish may wait for its acknowledgement. */
    public Duration timeout = Duration.ofSeconds(10);
    /** First wait after a failed connect or publish; doubles up to max-backoff. */
    public Duration retryBackoff = Duration.ofSeconds(1);
    public Duration maxBackoff = Duration.ofMinutes(1);
    /** Publishes queued while the broker is unreachable; when full the oldest is dropped (and counted). */
    public int queueSize = 1000;
    /** Conditions to publish, hook syntax; empty: every condition, raised and cleared. */
    public List<HookTrigger> on = List.of();
    /** Only "ede" conditions with these Extended DNS Error codes, e.g. [18, 22]; empty: every code. Other conditions are not affected. */
    public List<Integer> edeCodes = List.of();
    /** Subscribe to {@code <prefix>/<site>/control} for operator commands ("drain", "undrain"). */
    public boolean control = false;

    @Override
    public void validate() {
        EdeCodeFilter.validate(edeCodes, on);
        if (broker != null) {
            URI u;
            try {
                u = URI.create(broker);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("\"broker\": '" + broker + "' is not a URI");
            }
            if (!List.of("tcp", "ssl").contains(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("\"broker\" must look like tcp://host:1883 or ssl://host:8883");
            }
            if (caFile != null && !"ssl".equals(u.getScheme())) {
                throw new IllegalArgumentException("\"ca-file\" needs an ssl:// broker");
            }
        }
        if (qos < 0 || qos > 2) throw new IllegalArgumentException("\"qos\" must be 0, 1 or 2");
        if (password != null && passwordFile != null) {
            throw new IllegalArgumentException("give \"password\" or \"password-file\", not both");
        }
        if ((password != null || passwordFile != null) && username == null) {
            throw new IllegalArgumentException("a password needs a \"username\"");
        }
        if (topicPrefix.isEmpty() || topicPrefix.matches(".*[+#].*") || topicPrefix.startsWith("/")
                || topicPrefix.endsWith("/")) {
            throw new IllegalArgumentException("\"topic-prefix\" must be non-empty, without +, # or a leading/trailing /");
        }
        if (keepAlive.toSeconds() < 1) throw new IllegalArgumentException("\"keep-alive\" must be at least 1s");
        if (timeout.toSeconds() < 1) throw new IllegalArgumentException("\"timeout\" must be at least 1s");
        if (retryBackoff.isZero() || retryBackoff.isNegative()) {
            throw new IllegalArgumentException("\"retry-backoff\" must be positive");
        }
        if (maxBackoff.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException("\"max-backoff\" must be at least \"retry-backoff\"");
        }
        if (queueSize < 1) throw new IllegalArgumentException("\"queue-size\" must be at least 1");
    }

    public boolean enabled() {
        return broker != null;
    }

    /** The password from "password" or "password-file", or null. */
    byte[] passwordBytes() {
        if (password != null) return password.getBytes(StandardCharsets.UTF_8);
        if (passwordFile == null) return null;
        try {
            return Files.readAllLines(Path.of(passwordFile), StandardCharsets.UTF_8).stream().findFirst().orElse("")
                    .trim().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read mqtt password-file " + passwordFile + ": " + e.getMessage(), e);
        }
    }
}
