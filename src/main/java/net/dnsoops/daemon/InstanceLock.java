package net.dnsoops.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The lock a running daemon holds for as long as it runs, on a file next to its drain-file
 * ({@code drained.lock} for {@code drained}). It is how the CLI tells "no dns-oops runs" (then
 * changing the drain file itself is an honest offline drain) from "one runs but its control
 * socket does not answer" (an error): the kernel drops the lock when the process ends, however
 * it ends, so a stale file never looks held.
 *
 * <p>The file is never deleted while in use and the CLI never creates it: a lock file created by
 * root (the CLI, or the daemon once run by hand as root) must not stop the daemon running as its
 * own user later, so the daemon replaces a file it cannot open for writing when nobody holds it.
 */
public final class InstanceLock implements AutoCloseable {
    private static final String HINT = ": the drain-file's directory must be writable by the daemon (under systemd:"
            + " StateDirectory=dns-oops; run by hand as another user: set \"drain-file\" and \"control-socket\" in the"
            + " config to writable paths)";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file that belongs to this drain file. */
    public static Path pathFor(Path drainFile) {
        Path abs = drainFile.toAbsolutePath();
        return abs.resolveSibling(abs.getFileName() + ".lock");
    }

    /**
     * Takes the lock for a daemon, waiting up to {@code patience} for a CLI that holds it briefly
     * while it changes the drain file. Fails with the reason when another daemon holds it or the
     * file cannot be created.
     */
    public static InstanceLock acquire(Path file, String owner, Duration patience) throws IOException {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new IOException("cannot create " + file.getParent() + " for the instance lock (" + e + ")" + HINT, e);
        }
        FileChannel ch = openForWriting(file);
        long end = System.nanoTime() + patience.toNanos();
        FileLock l;
        while (true) {
            l = tryLock(ch, false);
            if (l != null || System.nanoTime() >= end) break;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (l == null) {
            ch.close();
            throw new IOException("another dns-oops runs with this drain-file: " + file + " is locked (" + describe(file) + ")");
        }
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((owner + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
        } catch (IOException e) {
            ch.close(); // releases the lock too
            throw e;
        }
        return new InstanceLock(file, ch, l);
    }

    private static FileChannel openForWriting(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            // Left by a process of another user (root). Replace it only when certain that nobody
            // holds it: a file we cannot even read may be a running daemon's, and deleting that
            // would let the CLI take the running daemon for gone and drain behind its back.
            try (Probe p = probe(file)) {
                if (p.state() == State.HELD) {
                    throw new IOException("another dns-oops runs with this drain-file: " + file + " is locked (" + describe(file) + ")");
                }
                if (p.state() != State.FREE) {
                    throw new IOException("cannot tell whether another dns-oops holds " + file + ": " + p.detail()
                            + "; if none runs, remove the file" + HINT);
                }
                Files.delete(file);
                return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (AccessDeniedException again) {
                throw new IOException("cannot open the instance lock " + file + " for writing (" + again + ")" + HINT, again);
            }
        }
    }

    private static FileLock tryLock(FileChannel ch, boolean shared) throws IOException {
        try {
            return ch.tryLock(0, Long.MAX_VALUE, shared);
        } catch (OverlappingFileLockException e) {
            return null; // held in this JVM (tests run several daemons in one)
        }
    }

    /** Whether a daemon holds a lock file, as far as the caller can tell. */
    public enum State {
        /** No daemon holds it. While the probe is open, none can take it. */
        FREE,
        /** A daemon holds it. */
        HELD,
        /** The caller cannot tell (cannot read the file). */
        UNKNOWN
    }

    /** What {@link #probe} found; close it to let a daemon start again. */
    public record Probe(State state, String detail, FileChannel channel) implements AutoCloseable {
        @Override
        public void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing to undo
                }
            }
        }
    }

    /**
     * For the CLI: is a daemon holding {@code file}? Opens it read-only (a root CLI must not
     * leave a file the daemon cannot write) and takes a shared lock, which only a running daemon's
     * exclusive lock blocks. A missing file means no daemon runs: a running one always has it.
     */
    public static Probe probe(Path file) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return new Probe(State.FREE, file + " does not exist", null);
        } catch (IOException e) {
            return new Probe(State.UNKNOWN, "cannot read " + file + " (" + e + ")", null);
        }
        try {
            FileLock l = tryLock(ch, true);
            if (l != null) return new Probe(State.FREE, file + " is not locked", ch);
            ch.close();
            return new Probe(State.HELD, file + " is locked (" + describe(file) + ")", null);
        } catch (IOException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // reported below
            }
            return new Probe(State.UNKNOWN, "cannot lock " + file + " (" + e + ")", null);
        }
    }

    /** The holder's own description ("pid 123, control-socket /run/..."), or what went wrong reading it. */
    private static String describe(Path file) {
        try {
            String s = Files.readString(file).strip();
            return s.isEmpty() ? "no holder recorded" : s;
        } catch (IOException e) {
            return "holder unknown: " + e.getMessage();
        }
    }

    public Path path() {
        return file;
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the process anyway
        }
    }
}
