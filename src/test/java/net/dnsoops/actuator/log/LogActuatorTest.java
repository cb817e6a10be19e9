package net.dnsoops.actuator.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.ops.LogLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What a condition's log line says, in the text and the JSON format. */
class LogActuatorTest {
    private static final Condition UPDATED = new Condition(ConditionType.ZONE_UPDATED, true,
            Instant.parse("2026-12-02T21:00:00Z"), "example.com.", "web", 2026120202L, 2026120201L,
            "192.0.2.1", Map.of(), "");

    private final Logger logger = (Logger) LoggerFactory.getLogger("net.dnsoops.condition");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final LogLayout.Format before = LogLayout.current();

    @BeforeEach
    void attach() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
        LogLayout.use(before);
    }

    @Test
    void aTextLineCarriesEveryFieldOfTheCondition() {
        LogLayout.use(LogLayout.Format.TEXT);
        new LogActuator().apply(UPDATED);
        assertEquals(1, lines.list.size());
        assertEquals("zone-updated raised zone=example.com. service=web serial=2026120202 old-serial=2026120201"
                + " source=192.0.2.1", lines.list.get(0).getFormattedMessage());
    }

    @Test
    void aJsonLineCarriesTheFieldsAsFieldsToo() throws Exception {
        LogLayout.use(LogLayout.Format.JSON);
        new LogActuator().apply(UPDATED);
        assertEquals(1, lines.list.size());
        JsonNode n = new ObjectMapper().readTree(new LogLayout().doLayout(lines.list.get(0)));
        assertEquals("zone-updated", n.path("condition").asText());
        assertEquals("raised", n.path("state").asText());
        assertEquals("example.com.", n.path("zone").asText());
        assertEquals("web", n.path("service").asText());
        assertEquals(2026120202L, n.path("serial").asLong());
        assertEquals(2026120201L, n.path("old-serial").asLong());
        assertEquals("192.0.2.1", n.path("source").asText());
        assertTrue(n.path("message").asText().startsWith("zone-updated raised zone=example.com."), n.toString());
    }

    @Test
    void aConditionWithBracesInItsDetailIsWrittenAsItIs() {
        LogLayout.use(LogLayout.Format.TEXT);
        new LogActuator().apply(new Condition(ConditionType.ZONE_REFRESH_FAILED, true, Instant.EPOCH, "a.test.", null,
                -1, -1, "", Map.of(), "no answer {}"));
        assertEquals("zone-refresh-failed raised zone=a.test. detail=\"no answer {}\"", lines.list.get(0).getFormattedMessage());
    }
}
