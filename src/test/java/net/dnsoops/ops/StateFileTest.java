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
        assertTrue(Files.exists(dir.resolve("state.json.corrupt")));
        assertTrue(new StateFile(dir.resolve("missing.json")).read().isEmpty());
    }
}
