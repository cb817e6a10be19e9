package net.dnsoops.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import net.dnsoops.core.ConditionType;
import net.dnsoops.core.CoreLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's switch, on a local unix socket (file permissions are the access control): one
 * line per connection, "drain", "undrain", "status" or "status-json", one line back. Drain state
 * is a file, so it survives restarts and can be set while dns-oops is down; the socket makes it
 * take effect at once. The "draining" condition is how the actuators hear of it.
 *
 * <p>{@link #open} binds before anything else starts, so a daemon whose drain cannot work
 * (socket path not writable, another dns-oops answering on it) refuses to start instead of
 * running without a switch. The socket file is removed on close only if it is still the one
 * this daemon bound.
 */
public final class ControlSocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlSocket.class);

    private final Path socket;
    private final Path drainFile;
    private ServerSocketChannel server;
    /** The bound socket file's identity (device and inode), to never delete another's. */
    private Object boundKey;
    private volatile CoreLoop core;
    private Supplier<String> health;
    private Supplier<String> statusJson;
    private Thread thread;
    /** Requests answered at once; a client that connects and never writes holds one until it goes. */
    private static final int MAX_CONNECTIONS = 16;
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);

    public ControlSocket(Path socket, Path drainFile) {
        this.socket = socket;
        this.drainFile = drainFile;
    }

    /** Binds the socket; fails with what to do when it cannot, or when another dns-oops answers on it. */
    public void open() throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                try (SocketChannel other = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    other.connect(UnixDomainSocketAddress.of(socket));
                    throw new IllegalStateException("another dns-oops answers on " + socket
                            + "; give each daemon its own \"control-socket\" (and \"drain-file\")");
                } catch (java.net.ConnectException refused) {
                    Files.delete(socket); // left by a dns-oops that was killed: nobody listens on it
                } catch (IOException e) {
                    throw new IOException("cannot tell whether another dns-oops listens on " + socket + " (" + e
                            + "); if none runs, remove the file", e);
                }
            }
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IllegalStateException e) {
            throw new IOException(e.getMessage());
        } catch (AccessDeniedException e) {
            throw new IOException("cannot create control socket " + socket + ": permission denied on " + e.getFile()
                    + ". Under systemd the unit needs RuntimeDirectory=dns-oops; run by hand as another user,"
                    + " set \"control-socket\" (and \"drain-file\") in the config to a writable path", e);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("cannot tell whether")) throw e;
            throw new IOException("cannot create control socket " + socket + " (" + e + "); set \"control-socket\" in the"
                    + " config to a path in a writable directory", e);
        }
        boundKey = key(socket);
        socket.toFile().setReadable(false, false); // owner (and root) only: 0600-ish
        socket.toFile().setWritable(false, false);
        socket.toFile().setReadable(true, true);
        socket.toFile().setWritable(true, true);
    }

    private static Object key(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Starts answering. Until then connections wait in the backlog.
     *
     * @param health one line describing the actuators' health, for "status"
     * @param statusJson the daemon's status document (as GET /status has it) on one line, for "status-json"
     */
    public void serve(CoreLoop core, Supplier<String> health, Supplier<String> statusJson) {
        this.core = core;
        this.health = health;
        this.statusJson = statusJson;
        thread = new Thread(this::serve, "dns-oops-control");
        thread.setDaemon(true);
        thread.start();
        log.info("control socket on {}", socket);
    }

    /**
     * Accepts connections and answers each on a thread of its own, so that a drain never waits
     * behind a slow status document or a client that connected and sent nothing.
     */
    private void serve() {
        while (server.isOpen()) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (server.isOpen()) log.warn("control socket: {}", e.toString());
                continue;
            }
            if (!connections.tryAcquire()) {
                answer(c, "error busy: " + MAX_CONNECTIONS + " control requests are being answered; try again");
                continue;
            }
            Thread t = new Thread(() -> {
                try {
                    BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                            StandardCharsets.UTF_8));
                    String line = in.readLine();
                    answer(c, handle(line == null ? "" : line.trim()));
                } catch (IOException e) {
                    log.debug("control socket: {}", e.toString());
                    answer(c, null);
                } finally {
                    connections.release();
                }
            }, "dns-oops-control-request");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Writes the reply (none: just closes) and closes the connection. */
    private static void answer(SocketChannel c, String reply) {
        try (c) {
            if (reply != null) c.write(ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            log.debug("control socket reply: {}", e.toString());
        }
    }

    /** Runs one command, as from the socket: "ok ..." or "error REASON". */
    String handle(String command) {
        try {
            return switch (command) {
                case "drain" -> drain();
                case "undrain" -> undrain();
                case "status" -> "ok " + (core.draining() ? "drained" : "not drained") + "; " + health.get();
                case "status-json" -> statusJson.get();
                default -> "error unknown command '" + command + "' (drain, undrain, status, status-json)";
            };
        } catch (IOException | RuntimeException e) {
            return "error " + e.getMessage();
        }
    }

    /** Writes the drain file and raises "draining" ("ok drained"); throws with the reason if the file cannot be written. */
    public synchronized String drain() throws IOException {
        requireStarted();
        Path dir = drainFile.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            // Through a new file and a rename: a drain file left by root (an offline drain) is replaced, not refused.
            Path tmp = Files.createTempFile(dir, drainFile.getFileName().toString(), ".tmp");
            try {
                Files.writeString(tmp, "drained at " + Instant.now() + "\n");
                Files.move(tmp, drainFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            log.error("drain failed: cannot write {}: {}", drainFile, e.toString());
            throw new IOException("cannot write drain-file " + drainFile + ": " + e, e);
        }
        if (!core.draining()) core.emitBridge(ConditionType.DRAINING, true);
        log.warn("drained by operator: withdrawing every route until undrain");
        return "ok drained";
    }

    /** Removes the drain file and clears "draining"; throws with the reason if the file cannot be removed. */
    public synchronized String undrain() throws IOException {
        requireStarted();
        try {
            Files.deleteIfExists(drainFile);
        } catch (IOException e) {
            log.error("undrain failed: cannot remove {}: {}", drainFile, e.toString());
            throw new IOException("cannot remove drain-file " + drainFile + ": " + e, e);
        }
        if (core.draining()) core.emitBridge(ConditionType.DRAINING, false);
        log.warn("undrained by operator: routes follow the zones again");
        return "ok undrained";
    }

    /** Drain asked for (MQTT, HTTP) while the daemon is still starting: say so rather than fail obscurely. */
    private void requireStarted() throws IOException {
        if (core == null) throw new IOException("dns-oops is still starting; try again in a moment");
    }

    @Override
    public void close() {
        try {
            if (server != null) server.close();
            // Another daemon may have taken the path since (after deleting ours): leave its socket alone.
            if (boundKey != null && Objects.equals(boundKey, key(socket))) Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.debug("control socket close: {}", e.toString());
        }
    }
}
