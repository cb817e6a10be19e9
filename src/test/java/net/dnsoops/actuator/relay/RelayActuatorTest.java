package net.dnsoops.actuator.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Type;

class RelayActuatorTest {
    @Test
    void notifyMessageIsRfc1996() throws Exception {
        Message m = RelayActuator.notify(Name.fromString("example.com."));
        assertEquals(Opcode.NOTIFY, m.getHeader().getOpcode());
        assertTrue(m.getHeader().getFlag(Flags.AA));
        assertFalse(m.getHeader().getFlag(Flags.RD));
        assertFalse(m.getHeader().getFlag(Flags.QR));
        assertEquals(Type.SOA, m.getQuestion().getType());
        assertEquals("example.com.", m.getQuestion().getName().toString());
    }

    @Test
    void configDefaultsPerZoneTargetsAndErrors() throws Exception {
        DnsOopsConfig c = ConfigLoader.parse("{\"relay\": {\"targets\": [{\"address\": \"192.0.2.1\"}],"
                + " \"zones\": {\"Example.COM\": [{\"address\": \"192.0.2.2@5300\", \"transport\": \"tcp\"}]}}}", "t");
        assertEquals(3, c.relay.tries);
        assertEquals(Duration.ofSeconds(5), c.relay.retryInterval);
        assertEquals(53, c.relay.targets.get(0).address.getPort());
        assertEquals(5300, c.relay.targetsFor(Name.fromString("example.com.")).get(0).address.getPort());
        assertEquals(53, c.relay.targetsFor(Name.fromString("other.test.")).get(0).address.getPort());
        assertTrue(c.relay.enabled());
        assertFalse(ConfigLoader.parse("{}", "t").relay.enabled());
        assertTrue(error("{\"relay\": {\"targets\": [{\"address\": \"192.0.2.1\", \"key\": \"k\"}]}}")
                .contains("names key \"k\""));
        assertTrue(error("{\"relay\": {\"targets\": [{\"address\": \"192.0.2.1\", \"transport\": \"quic\"}]}}")
                .contains("\"transport\""));
        assertTrue(error("{\"relay\": {\"keys\": {\"k\": {\"secret\": \"!!\"}}}}").contains("base64"));
        assertTrue(error("{\"relay\": {\"keys\": {\"k\": {\"secret\": \"YQ==\", \"algorithm\": \"rot13\"}}}}")
                .contains("algorithm"));
        assertTrue(error("{\"relay\": {\"tries\": 0}}").contains("\"tries\""));
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
