package net.dnsoops.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A second MQTT client, as central monitoring would run: records every message it gets. */
public final class MqttSubscriber implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Received(String topic, JsonNode json, boolean retained) {
        @Override
        public String toString() {
            return (retained ? "[retained] " : "") + topic + " " + json;
        }
    }

    private final MqttClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public MqttSubscriber(String uri, String clientId, String filter) throws MqttException {
        client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse r) {
            }

            @Override
            public void mqttErrorOccurred(MqttException e) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) throws Exception {
                String text = new String(m.getPayload(), StandardCharsets.UTF_8);
                received.add(new Received(topic, JSON.readTree(text.isEmpty() ? "null" : text), m.isRetained()));
            }

            @Override
            public void deliveryComplete(IMqttToken t) {
            }

            @Override
            public void connectComplete(boolean reconnect, String uri) {
            }

            @Override
            public void authPacketArrived(int reason, MqttProperties p) {
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(Mosquitto.USER);
        o.setPassword(Mosquitto.PASSWORD.getBytes(StandardCharsets.UTF_8));
        client.connect(o);
        client.subscribe(filter, 1);
    }

    public void publish(String topic, String payload) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    public List<Received> received() {
        return received;
    }

    public long count(Predicate<Received> p) {
        return received.stream().filter(p).count();
    }

    public Received last(String topic) {
        Received r = null;
        for (Received x : received) if (x.topic().equals(topic)) r = x;
        return r;
    }

    public String dump() {
        return "mqtt received:\n" + String.join("\n", received.stream().map(Received::toString).toList());
    }

    @Override
    public void close() {
        try {
            client.disconnect(1000);
        } catch (MqttException ignored) {
            // broker may be gone already
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // nothing more to do
        }
    }
}
