package net.dnsoops.actuator.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import net.dnsoops.actuator.ConditionDocument;
import net.dnsoops.actuator.Outbox;
import net.dnsoops.actuator.hook.EdeCodeFilter;
import net.dnsoops.core.Actuator;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.core.Health;
import net.dnsoops.ops.Control;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT actuator (config "mqtt"), MQTT 5 through Eclipse Paho. Each condition is published (QoS
 * 1 by default) as a retained document on {@code <prefix>/<site>/zone/<zone>} or
 * {@code <prefix>/<site>/service/<service>} that holds the condition and what currently holds
 * for that zone or service, so a new subscriber sees the fleet at once. {@code <prefix>/<site>/status}
 * is retained "up" while connected; the last will sets it to "down" if dns-oops dies. With
 * {@code "control": true} it listens on {@code <prefix>/<site>/control} for "drain"/"undrain" and
 * passes them to the daemon's {@link Control}, answering on {@code .../control/result}.
 *
 * <p>{@link #apply} (core thread) only updates the in-memory state and queues; connecting,
 * publishing and retrying happen on the outbox thread. A lost connection is re-established
 * with backoff and every retained state is published again.
 */
public final class MqttActuator implements Actuator {
    private static final Logger log = LoggerFactory.getLogger(MqttActuator.class);
    /** Conditions that are events, not states: they never "hold". */
    private static final Set<ConditionType> EVENTS = EnumSet.of(ConditionType.ZONE_UPDATED, ConditionType.ZONE_RECOVERED);

    /** Something for the outbox thread: a publish, or "(re)connect and publish every state". */
    sealed interface Item permits Publish, Sync {
    }

    record Publish(String topic, byte[] payload, boolean retained, String label) implements Item {
        @Override
        public String toString() {
            return label + " -> " + topic;
        }
    }

    record Sync() implements Item {
    }

    private final MqttConfig config;
    private final String site;
    private final Control control;
    private final Clock clock;
    private final MqttTopics topics;
    private final String clientId;
    /**
     * What this site has told one broker: per topic, the conditions that hold (touched only on the
     * core thread) and the last retained document (republished after a reconnect). Kept per
     * broker, prefix and site for the life of the process, so that a SIGHUP reload, which builds
     * a new actuator, continues where the old one was instead of forgetting what holds.
     */
    private static final class SiteState {
        final Map<String, Set<String>> holding = new HashMap<>();
        final Map<String, byte[]> retained = new ConcurrentHashMap<>();
    }

    private static final Map<List<String>, SiteState> STATES = new ConcurrentHashMap<>();

    private final Map<String, Set<String>> holding;
    private final Map<String, byte[]> retained;
    private final Outbox<Item> outbox;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dns-oops-mqtt-watchdog");
        t.setDaemon(true);
        return t;
    });
    private MqttClient client;
    private MqttConnectionOptions options;
    private volatile long controlCommands;

    public MqttActuator(MqttConfig config, String site, Control control) {
        this(config, site, control, Clock.systemUTC());
    }

    public MqttActuator(MqttConfig config, String site, Control control, Clock clock) {
        this.config = config;
        this.site = site;
        this.control = control;
        this.clock = clock;
        this.topics = new MqttTopics(config.topicPrefix, site);
        this.clientId = config.clientId != null ? config.clientId : "dns-oops-" + site;
        SiteState state = STATES.computeIfAbsent(List.of(config.broker, config.topicPrefix, site), k -> new SiteState());
        this.holding = state.holding;
        this.retained = state.retained;
        this.outbox = new Outbox<>("mqtt " + config.broker, config.queueSize, config.retryBackoff, config.maxBackoff,
                this::deliver);
    }

    @Override
    public String name() {
        return "mqtt";
    }

    MqttTopics topics() {
        return topics;
    }

    @Override
    public void start() throws Exception {
        client = new MqttClient(config.broker, clientId, new MemoryPersistence());
        client.setTimeToWait(config.timeout.toMillis());
        client.setCallback(new Callback());
        options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setKeepAliveInterval((int) config.keepAlive.toSeconds());
        options.setConnectionTimeout((int) Math.max(1, config.timeout.toSeconds()));
        options.setAutomaticReconnect(false); // the outbox thread reconnects, with our backoff
        if (config.username != null) options.setUserName(config.username);
        byte[] pw = config.passwordBytes();
        if (pw != null) options.setPassword(pw);
        if (config.caFile != null) options.setSocketFactory(trusting(Path.of(config.caFile)).getSocketFactory());
        MqttMessage will = new MqttMessage(status("down", "connection lost"), config.qos, true, new MqttProperties());
        options.setWill(topics.status(), will);
        outbox.start();
        outbox.offer(new Sync()); // connect in the background: a broker that is down must not stop the daemon
        long every = Math.max(1, Math.min(5, config.keepAlive.toSeconds()));
        watchdog.scheduleWithFixedDelay(() -> {
            if (!client.isConnected() && outbox.queued() == 0) outbox.offer(new Sync());
        }, every, every, TimeUnit.SECONDS);
    }

    @Override
    public void apply(Condition c) {
        if (!config.on.isEmpty() && config.on.stream().noneMatch(t -> t.matches(c))) return;
        if (!EdeCodeFilter.admits(config.edeCodes, c)) return;
        String topic;
        switch (c.type().scope()) {
            case ZONE -> topic = topics.zone(c.zone());
            case SERVICE -> topic = topics.service(c.service());
            default -> {
                // bridge-started / bridge-stopping: the site's status.
                if (c.type() == ConditionType.BRIDGE_STOPPING && c.raised()) {
                    publishRetained(topics.status(), status("stopping", "dns-oops is shutting down"), c.toString());
                } else if (c.type() == ConditionType.BRIDGE_STARTED && c.raised()) {
                    publishRetained(topics.status(), status("up", "bridge started"), c.toString());
                }
                return;
            }
        }
        Set<String> now = holding.computeIfAbsent(topic, t -> new TreeSet<>());
        if (!EVENTS.contains(c.type())) {
            if (c.type() == ConditionType.SERVICE_READY) now.remove(ConditionType.SERVICE_NOT_READY.wireName());
            if (c.type() == ConditionType.SERVICE_NOT_READY) now.remove(ConditionType.SERVICE_READY.wireName());
            if (c.raised()) now.add(c.type().wireName()); else now.remove(c.type().wireName());
        }
        ObjectNode doc = ConditionDocument.of(c, site);
        var arr = doc.putArray("holding");
        now.forEach(arr::add);
        publishRetained(topic, ConditionDocument.bytes(doc), c.toString());
    }

    private void publishRetained(String topic, byte[] payload, String label) {
        retained.put(topic, payload);
        outbox.offer(new Publish(topic, payload, true, label));
    }

    private byte[] status(String state, String reason) {
        ObjectNode o = ConditionDocument.JSON.createObjectNode();
        o.put("site", site);
        o.put("state", state);
        o.put("reason", reason);
        o.put("client-id", clientId);
        o.put("time", DateTimeFormatter.ISO_INSTANT.format(clock.instant()));
        return ConditionDocument.bytes(o);
    }

    /** Runs on the outbox thread; throwing makes the outbox retry with backoff. */
    private void deliver(Item item) throws MqttException {
        if (!client.isConnected()) connect();
        if (item instanceof Publish p) {
            client.publish(p.topic(), p.payload(), config.qos, p.retained());
            log.debug("mqtt published {}", p);
        }
    }

    private void connect() throws MqttException {
        client.connect(options);
        log.info("mqtt connected to {} as {}", config.broker, clientId);
        if (config.control) client.subscribe(topics.control(), 1);
        // The will may have fired while we were away, and the broker may have lost retained
        // messages: state everything again, status first.
        client.publish(topics.status(), status("up", "connected"), config.qos, true);
        for (Map.Entry<String, byte[]> e : retained.entrySet()) {
            if (!e.getKey().equals(topics.status())) client.publish(e.getKey(), e.getValue(), config.qos, true);
        }
    }

    /** A control message: "drain" / "undrain", as text or {"command": "drain"}. */
    void command(byte[] payload) {
        controlCommands++;
        String text = new String(payload, StandardCharsets.UTF_8).trim();
        String command = text;
        if (text.startsWith("{")) {
            try {
                JsonNode n = ConditionDocument.JSON.readTree(text);
                command = n.path("command").asText("");
            } catch (Exception e) {
                command = "";
            }
        }
        command = command.toLowerCase(Locale.ROOT);
        boolean accepted = false;
        String detail;
        try {
            switch (command) {
                case "drain" -> {
                    detail = control.drain();
                    accepted = true;
                }
                case "undrain" -> {
                    detail = control.undrain();
                    accepted = true;
                }
                default -> detail = "unknown command '" + text + "' (expected drain or undrain)";
            }
        } catch (UnsupportedOperationException e) {
            detail = e.getMessage(); // drain is not wired in this build (the BGP work provides it)
        } catch (RuntimeException e) {
            // Control says why in words (a drain file it cannot write, still starting)
            detail = "failed: " + (e.getMessage() != null ? e.getMessage() : e.toString());
        }
        log.info("mqtt control '{}' from {}: {} ({})", command, topics.control(), accepted ? "accepted" : "not accepted",
                detail);
        ObjectNode o = ConditionDocument.JSON.createObjectNode();
        o.put("site", site);
        o.put("command", command);
        o.put("accepted", accepted);
        o.put("detail", detail);
        o.put("time", DateTimeFormatter.ISO_INSTANT.format(clock.instant()));
        outbox.offer(new Publish(topics.controlResult(), ConditionDocument.bytes(o), false, "control result " + command));
    }

    private final class Callback implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse r) {
            log.warn("mqtt disconnected from {}: {}", config.broker, r);
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            log.warn("mqtt error: {}", e.toString());
        }

        @Override
        public void messageArrived(String topic, MqttMessage m) {
            if (topic.equals(topics.control())) command(m.getPayload());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String uri) {
        }

        @Override
        public void authPacketArrived(int reason, MqttProperties p) {
        }
    }

    private static SSLContext trusting(Path caFile) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, cert);
            }
            if (i == 0) throw new IllegalArgumentException("no certificate in mqtt ca-file " + caFile);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Override
    public Health health() {
        boolean up = client != null && client.isConnected();
        String d = (up ? "connected to " : "not connected to ") + config.broker + "; " + outbox.summary()
                + "; " + controlCommands + " control commands";
        if (!up) return Health.failed(d);
        return new Health(outbox.health().status(), d);
    }

    /** Lets queued publishes out (bridge-stopping), marks the site down, disconnects cleanly. */
    @Override
    public void close() {
        watchdog.shutdownNow();
        outbox.close(Duration.ofSeconds(5));
        if (client == null) return;
        try {
            if (client.isConnected()) {
                client.publish(topics.status(), status("down", "stopped"), config.qos, true);
                client.disconnect(2000);
            }
        } catch (MqttException e) {
            log.warn("mqtt: clean disconnect failed: {}", e.toString());
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            log.debug("mqtt close: {}", e.toString());
        }
    }
}
