package net.dnsoops.actuator.bird;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A client of BIRD's control socket speaking its line protocol directly (what birdc does, without
 * a subprocess). One command at a time; every exchange is bounded by the timeout, and a timed-out
 * or broken connection must be closed and reopened (BIRD may have restarted).
 */
public final class BirdControl implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector selector;
    private final long timeoutMs;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final BirdReply.Collector collector = new BirdReply.Collector();
    private final String greeting;

    private BirdControl(SocketChannel channel, Duration timeout) throws IOException {
        this.channel = channel;
        this.timeoutMs = timeout.toMillis();
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        this.greeting = readReply().text(); // "BIRD 2.0.12 ready."
    }

    /** Connects and reads BIRD's greeting; fails if BIRD is not running (no socket). */
    public static BirdControl connect(Path socket, Duration timeout) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new BirdControl(ch, timeout);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public String greeting() {
        return greeting;
    }

    /** Sends one command and returns its complete reply (errors are replies, not exceptions). */
    public BirdReply command(String command) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) channel.write(out); // a short line; the socket buffer takes it
        return readReply();
    }

    private BirdReply readReply() throws IOException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (true) {
            in.flip();
            while (in.hasRemaining()) {
                byte b = in.get();
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                BirdReply r = collector.add(line.toString(StandardCharsets.UTF_8));
                line.reset();
                if (r != null) {
                    in.compact();
                    return r;
                }
            }
            in.clear();
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) throw new IOException("BIRD did not answer within " + timeoutMs + " ms");
            selector.select(left);
            selector.selectedKeys().clear();
            int n = channel.read(in);
            if (n < 0) throw new IOException("BIRD closed the control socket");
        }
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
