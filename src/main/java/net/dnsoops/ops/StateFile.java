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
 * (as FILE.corrupt-TIME, the newest {@value #KEEP_CORRUPT} kept, so a second corruption does not
 * destroy the evidence of the first) and reported in words; the daemon then starts as if it had
 * no state (every zone is re-verified).
 */
public final class StateFile {
    private static final Logger log = LoggerFactory.getLogger(StateFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;
    /** Corrupt files kept aside; older ones are deleted. */
    static final int KEEP_CORRUPT = 5;
    private static final java.time.format.DateTimeFormatter STAMP =
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    /** The file's shape: {"version": 1, "zones": [ {zone, serial, ...}, ... ]}. */
    record Content(int version, List<PersistedZone> zones) {
    }

    private final Path file;
    private final java.time.Clock clock;

    public StateFile(Path file) {
        this(file, java.time.Clock.systemUTC());
    }

    /** {@code clock} names the copies of corrupt files. */
    public StateFile(Path file, java.time.Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public Path path() {
        return file;
    }

    /** What the last run saved; empty if there is no file or it is unusable (then it says why). */
    public List<PersistedZone> read() {
        String text = null;
        try {
            text = Files.readString(file);
            Content c = JSON.readValue(text, new TypeReference<Content>() {
            });
            if (c == null || c.version() != VERSION || c.zones() == null) {
                throw new IOException("not a dns-oops state file of version " + VERSION + " ({\"version\": " + VERSION
                        + ", \"zones\": [...]})");
            }
            log.info("state: {} zones from {}", c.zones().size(), file);
            return c.zones();
        } catch (NoSuchFileException e) {
            log.info("state: no {} yet; every zone starts unknown", file);
            return List.of();
        } catch (IOException | RuntimeException e) {
            // Jackson's own message names Java classes and their reference chain: say it in words.
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && text != null
                    ? net.dnsoops.config.JsonErrors.describe(j, file.toString(), text, Content.class)
                    : file + ": " + e.getMessage();
            Path aside = aside();
            log.error("state: cannot use {}; moved it to {} and starting without saved state: every zone is"
                    + " re-verified before it is ready", why, aside);
            try {
                Files.move(file, aside);
                pruneCorrupt();
            } catch (IOException moveFailed) {
                log.error("state: cannot move {} aside: {}", file, moveFailed.getMessage());
            }
            return List.of();
        }
    }

    /** FILE.corrupt-20261204T171500.123Z; never an existing file. */
    private Path aside() {
        String base = file.getFileName() + ".corrupt-" + STAMP.format(clock.instant());
        Path p = file.resolveSibling(base);
        for (int n = 2; Files.exists(p); n++) p = file.resolveSibling(base + "-" + n);
        return p;
    }

    /** Keeps the newest {@link #KEEP_CORRUPT} copies (their names sort by time). */
    private void pruneCorrupt() {
        String prefix = file.getFileName() + ".corrupt";
        Path dir = file.toAbsolutePath().getParent();
        try (var s = Files.list(dir)) {
            List<Path> old = s.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .sorted(java.util.Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
                    .skip(KEEP_CORRUPT).toList();
            for (Path p : old) Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("state: cannot remove old copies of corrupt state files in {}: {}", dir, e.getMessage());
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
