package net.dnsoops.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import net.dnsoops.core.CoreLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket answers a drain while other requests are still open: the emergency switch never queues. */
class ControlSocketTest {
    @TempDir
    Path dir;
    CoreLoop core;
    ControlSocket socket;
    final CountDownLatch statusMayFinish = new CountDownLatch(1);

    @AfterEach
    void stop() {
        statusMayFinish.countDown();
        if (socket != null) socket.close();
        if (core != null) core.close();
    }

    @Test
    void aDrainIsAnsweredWhileAClientSaysNothingAndAStatusIsSlow() throws Exception {
        core = new CoreLoop(Clock.systemUTC(), new Random(1), r -> { }, c -> { });
        core.start(List.of());
        Path path = dir.resolve("control.sock");
        Path drainFile = dir.resolve("drained");
        socket = new ControlSocket(path, drainFile);
        socket.open();
        socket.serve(core, () -> "ok", () -> {
            try {
                statusMayFinish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "{}";
        });
        try (SocketChannel silent = connect(path); SocketChannel slow = connect(path)) {
            slow.write(ByteBuffer.wrap("status-json\n".getBytes(StandardCharsets.UTF_8)));
            String reply = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ask(path, "drain"),
                    "a drain waited behind a silent client or a slow status");
            assertEquals("ok drained", reply);
            assertTrue(Files.exists(drainFile));
            statusMayFinish.countDown();
            assertEquals("{}", read(slow));
        }
    }

    private static SocketChannel connect(Path path) throws Exception {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(path));
        return c;
    }

    private static String ask(Path path, String command) throws Exception {
        try (SocketChannel c = connect(path)) {
            c.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            return read(c);
        }
    }

    private static String read(SocketChannel c) throws Exception {
        return new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8)).readLine();
    }
}
