package net.dnsoops.input.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Query counters out of each server's statistics output (formats as seen from NSD 4.6, Knot 3.2, BIND 9.18). */
class StatsTest {
    @Test
    void nsd() throws IOException {
        assertEquals(1234, QueryCounters.nsd("server0.queries=1234\nnum.queries=1234\ntime.boot=3.1\n"));
        assertThrows(IOException.class, () -> QueryCounters.nsd("error: could not connect"));
    }

    @Test
    void knotWithModStats() throws IOException {
        String out = "server.zone-count = 1\nmod-stats.request-protocol[udp4] = 3\nmod-stats.server-operation[query] = 7\n";
        assertEquals(7, QueryCounters.knot(out));
        assertEquals(3, QueryCounters.knot("server.zone-count = 1\nmod-stats.request-protocol[udp4] = 3\n"));
        assertThrows(IOException.class, () -> QueryCounters.knot("server.zone-count = 1\n"));
    }

    @Test
    void bind() throws IOException {
        assertEquals(42, QueryCounters.bind("{\"json-stats-version\":\"1.7\",\"opcodes\":{\"QUERY\":42,\"NOTIFY\":1}}"));
        assertThrows(IOException.class, () -> QueryCounters.bind("{}"));
    }
}
