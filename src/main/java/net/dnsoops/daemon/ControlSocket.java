package net.dnsoops.daemon;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import net.dnsoops.core.ConditionType;
import net.dnsoops.core.CoreLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's switch, on a local unix socket (file permissions are the access control): one
 * line per connection, "drain", "undrain" or "status", one line back. Drain state is a file, so
 * it survives restarts and can be set while dns-oops is down; the socket makes it take effect at
 * once. The "draining" condition is how the actuators hear of it.
 */
public final class ControlSocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlSocket.class);

    private final Path socket;
    private final Path drainFile;
    private final CoreLoop core;
    private final java.util.function.Supplier<String> health;
    private ServerSocketChannel server;
    private Thread thread;

    /** @param health one line describing the actuators' health, for "status" */
    public ControlSocket(Path socket, Path drainFile, CoreLoop core, java.util.function.Supplier<String> health) {
        this.socket = socket;
        this.drainFile = drainFile;
        this.core = core;
        this.health = health;
    }

    public void start() throws IOException {
        Files.createDirectories(socket.toAbsolutePath().getParent());
        if (Files.exists(socket)) {
            try (SocketChannel other = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                other.connect(UnixDomainSocketAddress.of(socket));
                throw new IOException("another dns-oops answers on " + socket + "; set \"control-socket\" apart");
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("another dns-oops")) throw e;
            }
            Files.deleteIfExists(socket); // left by a dns-oops that was killed
        }
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        socket.toFile().setReadable(false, false); // owner (and root) only: 0600-ish
        socket.toFile().setWritable(false, false);
        socket.toFile().setReadable(true, true);
        socket.toFile().setWritable(true, true);
        thread = new Thread(this::serve, "dns-oops-control");
        thread.setDaemon(true);
        thread.start();
        log.info("control socket on {}", socket);
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                        StandardCharsets.UTF_8));
                String line = in.readLine();
                String reply = handle(line == null ? "" : line.trim());
                c.write(ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                if (server.isOpen()) log.warn("control socket: {}", e.toString());
            }
        }
    }

    /** Runs one command ("drain", "undrain", "status"), as from the socket; also used by the HTTP API. */
    public String handle(String command) {
        try {
            switch (command) {
                case "drain" -> {
                    Files.createDirectories(drainFile.toAbsolutePath().getParent());
                    Files.writeString(drainFile, "drained at " + Instant.now() + "\n");
                    if (!core.draining()) core.emitBridge(ConditionType.DRAINING, true);
                    log.warn("drained by operator: withdrawing every route until undrain");
                    return "ok drained";
                }
                case "undrain" -> {
                    Files.deleteIfExists(drainFile);
                    if (core.draining()) core.emitBridge(ConditionType.DRAINING, false);
                    log.warn("undrained by operator: routes follow the zones again");
                    return "ok undrained";
                }
                case "status" -> {
                    return "ok " + (core.draining() ? "drained" : "not drained") + "; " + health.get();
                }
                default -> {
                    return "error unknown command '" + command + "' (drain, undrain, status)";
                }
            }
        } catch (IOException e) {
            return "error " + e.getMessage();
        }
    }

    @Override
    public void close() {
        try {
            if (server != null) server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.debug("control socket close: {}", e.toString());
        }
    }
}
