package net.dnsoops.input.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.dnsoops.core.CoreSink;
import net.dnsoops.testsupport.FakeCore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A reload of "stats" without a server: which readers (and so their last reading) stay, and
 * what the core is told. Readings run once an hour here; the first one fails (no such NSD
 * config), which reports nothing.
 */
class StatsReloadTest {
    final List<String> told = new CopyOnWriteArrayList<>();
    final CoreSink core = new FakeCore() {
        @Override
        public void statsRemoved(String server) {
            told.add("removed " + server);
        }

        @Override
        public void queryRate(String server, double rate, double increase, double high, double rising) {
            told.add("rate " + server);
        }
    };
    StatsInput input;

    static StatsConfig stats(String name, String control, double high) {
        StatsConfig c = new StatsConfig();
        c.server = "nsd";
        c.name = name;
        c.control = control;
        c.rateHigh = high;
        c.interval = Duration.ofHours(1);
        c.timeout = Duration.ofSeconds(2);
        c.validate();
        return c;
    }

    @AfterEach
    void close() {
        input.close();
    }

    @Test
    void aNewThresholdKeepsTheReaderAnotherCounterStartsOverARemovedServerIsCleared() {
        input = new StatsInput(List.of(stats("a", "/nonexistent/a.conf", 100), stats("b", "/nonexistent/b.conf", 100)));
        input.start(core);
        StatsInput.Reader a = input.reader("a");
        StatsInput.Reader b = input.reader("b");

        input.reconfigure(List.of(stats("a", "/nonexistent/a.conf", 5), stats("b", "/nonexistent/other.conf", 100),
                stats("c", "/nonexistent/c.conf", 1)));

        assertSame(a, input.reader("a"), "same counter: the last reading stays the base of the next rate");
        assertEquals(5, input.reader("a").config().rateHigh, "the new threshold applies from the next reading");
        assertNotSame(b, input.reader("b"), "another counter: a new reader");
        assertEquals(List.of(), told.stream().filter(t -> t.startsWith("removed")).toList(), "nothing removed yet");

        assertEquals(false, input.reconfigure(List.of()));
        assertNull(input.reader("a"));
        assertEquals(List.of("removed a", "removed b", "removed c"),
                told.stream().filter(t -> t.startsWith("removed")).sorted().toList());
    }
}
