package net.dnsoops.ops;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import net.dnsoops.core.PersistedZone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zone state across restarts, in one JSON file written atomically: a temporary file in the same
 * directory, fsync, rename over the old one, fsync of the directory. A SIGKILL at any moment
 * leaves either the old or the new file, never a mix. A file that cannot be read is moved aside
 * and reported; the daemon then starts as if it had no state (every zone is re-verified).
 */
public final class StateFile {
    private static final Logger log = LoggerFactory.getLogger(StateFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;

    /** The file's shape: {"version": 1, "zones": [ {zone, serial, ...}, ... ]}. */
    record Content(int version, List<PersistedZone> zones) {
    }

    private final Path file;

    public StateFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /** What the last run saved; empty if there is no file or it is unusable (then it says why). */
    public List<PersistedZone> read() {
        try {
            Content c = JSON.readValue(Files.readString(file), new TypeReference<Content>() {
            });
            if (c == null || c.version() != VERSION || c.zones() == null) {
                throw new IOException("not a dns-oops state file of version " + VERSION);
            }
            log.info("state: {} zones from {}", c.zones().size(), file);
            return c.zones();
        } catch (NoSuchFileException e) {
            log.info("state: no {} yet; every zone starts unknown", file);
            return List.of();
        } catch (IOException | RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
            log.error("state: cannot use {} ({}); moved it to {} and starting without saved state: every zone is"
                    + " re-verified before it is ready", file, e.getMessage(), aside);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                log.error("state: cannot move {} aside: {}", file, moveFailed.getMessage());
            }
            return List.of();
        }
    }

    /** Replaces the file with this state, atomically and durably. */
    public void write(List<PersistedZone> zones) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            byte[] bytes = JSON.writeValueAsBytes(Map.of("version", VERSION, "zones", zones));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException ignored) {
                // some file systems cannot sync a directory; the rename is still atomic
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
