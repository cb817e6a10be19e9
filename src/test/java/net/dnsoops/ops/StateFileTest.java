package net.dnsoops.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.dnsoops.core.PersistedZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
    @TempDir
    Path dir;

    @Test
    void writesAtomicallyAndReadsBack() throws Exception {
        StateFile f = new StateFile(dir.resolve("sub/state.json"));
        List<PersistedZone> zones = List.of(new PersistedZone("a.test.", 4294967295L, 1, 2, 3600, 10, 86400));
        f.write(zones);
        f.write(zones); // replacing works too
        assertEquals(zones, f.read());
        try (var files = Files.list(dir.resolve("sub"))) {
            assertEquals(List.of("state.json"), files.map(p -> p.getFileName().toString()).toList(), "no temp files left");
        }
    }

    @Test
    void aCorruptFileIsMovedAsideAndGivesASafeEmptyStart() throws Exception {
        Path p = dir.resolve("state.json");
        Files.writeString(p, "{\"version\": 1, \"zones\": [ {\"zone\": \"a.test.\", \"ser");
        assertTrue(new StateFile(p).read().isEmpty());
        assertTrue(corruptCopies().size() == 1 && !Files.exists(p), corruptCopies().toString());
        assertTrue(new StateFile(dir.resolve("missing.json")).read().isEmpty());
    }

    /**
     * The message says what is wrong in words, at a line and column, without Jackson's reference
     * chain; each corruption keeps its own copy (the evidence of the first is not overwritten by
     * the second), and only the newest few are kept.
     */
    @Test
    void eachCorruptionKeepsItsOwnCopyInWordsAndOnlyTheNewestAreKept() throws Exception {
        Path p = dir.resolve("state.json");
        net.dnsoops.core.MutableClock clock = new net.dnsoops.core.MutableClock();
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(StateFile.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            Files.writeString(p, "{\"version\": 1,\n \"zones\": [\n  {\"zone\": \"a.test.\", \"serial\": \"abc\"}\n ]\n}\n");
            assertTrue(new StateFile(p, clock).read().isEmpty());
            String m = logged.list.get(logged.list.size() - 1).getFormattedMessage();
            assertTrue(m.contains(p + ":3:23: zones[0].serial: expected a whole number, found \"abc\""), m);
            for (String java : List.of("reference chain", "java.", "net.dnsoops", "Cannot deserialize", "`", "[Source")) {
                assertTrue(!m.contains(java), "\"" + java + "\" in: " + m);
            }
            String first = Files.readString(corruptCopies().get(0));

            for (int i = 0; i < StateFile.KEEP_CORRUPT + 2; i++) {
                Files.writeString(p, "{\"version\": 1, \"zones\": [ " + i);
                assertTrue(new StateFile(p, clock).read().isEmpty());
                if (i == 0) {
                    List<Path> two = corruptCopies();
                    assertEquals(2, two.size(), two.toString());
                    assertEquals(first, Files.readString(two.get(0)), "the first corrupt file is still there as it was");
                }
                if (i % 2 == 0) clock.advance(java.time.Duration.ofSeconds(1)); // and twice in the same millisecond
            }
            List<Path> kept = corruptCopies();
            assertEquals(StateFile.KEEP_CORRUPT, kept.size(), kept.toString());
            assertEquals("{\"version\": 1, \"zones\": [ " + (StateFile.KEEP_CORRUPT + 1), Files.readString(kept.get(kept.size() - 1)),
                    "the newest corruption is kept");
        } finally {
            logger.detachAppender(logged);
        }
    }

    /** The copies of corrupt state files, oldest first. */
    private List<Path> corruptCopies() throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("state.json.corrupt"))
                    .sorted(java.util.Comparator.comparing(f -> f.getFileName().toString())).toList();
        }
    }
}
