package net.dnsoops.actuator.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import org.junit.jupiter.api.Test;

class MqttActuatorTest {
    @Test
    void topicTree() {
        MqttTopics t = new MqttTopics("dns-oops", "ams1");
        assertEquals("dns-oops/ams1/zone/example.com", t.zone("Example.COM."));
        assertEquals("dns-oops/ams1/zone/.", t.zone("."));
        assertEquals("dns-oops/ams1/service/web", t.service("web"));
        assertEquals("dns-oops/ams1/service/a_b_c_", t.service("a/b+c#"));
        assertEquals("dns-oops/ams1/status", t.status());
        assertEquals("dns-oops/ams1/control", t.control());
    }

    @Test
    void configDefaultsAndErrors() throws Exception {
        DnsOopsConfig c = ConfigLoader.parse("{\"site\": \"ams1\", \"mqtt\": {\"broker\": \"tcp://127.0.0.1:1883\"}}", "t");
        assertTrue(c.mqtt.enabled());
        assertEquals(1, c.mqtt.qos);
        assertEquals("dns-oops", c.mqtt.topicPrefix);
        assertFalse(c.mqtt.control);
        assertFalse(ConfigLoader.parse("{}", "t").mqtt.enabled());
        assertTrue(error("{\"mqtt\": {\"broker\": \"http://x\"}}").contains("tcp://host:1883"));
        assertTrue(error("{\"mqtt\": {\"broker\": \"tcp://x:1\", \"qos\": 3}}").contains("\"qos\""));
        assertTrue(error("{\"mqtt\": {\"broker\": \"tcp://x:1\", \"password\": \"p\"}}").contains("username"));
        assertTrue(error("{\"mqtt\": {\"broker\": \"tcp://x:1\", \"topic-prefix\": \"a/#\"}}").contains("topic-prefix"));
        assertTrue(error("{\"mqtt\": {\"brokr\": \"tcp://x:1\"}}").contains("unknown key \"brokr\""));
    }

    private static String error(String text) {
        try {
            ConfigLoader.parse(text, "t");
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for " + text);
    }
}
