package net.dnsoops.actuator.exabgp;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A separately running ExaBGP 4.2, through the CLI FIFOs it finds (never creates) at
 * {@code <pipe>.in} and {@code <pipe>.out}. {@code .out} is opened read-write: that never blocks
 * and never sees end-of-file, whether ExaBGP runs or not. {@code .in} is opened write-only,
 * which blocks while ExaBGP is down, so the open runs on a helper thread with a timeout and a
 * stuck open is released by opening the FIFO's other end ourselves. Every answer ends with a line
 * "done" or "error".
 *
 * <p>{@code .out} is read only while we wait for our own answer (polling, no reader thread), so
 * an operator's {@code exabgpcli} on the same pipes still gets its answers. One instance per pipe
 * path in the process, shared across config reloads.
 */
final class ExabgpPipeChannel implements ExabgpChannel {
    private static final Logger log = LoggerFactory.getLogger(ExabgpPipeChannel.class);
    private static final Map<Path, ExabgpPipeChannel> INSTANCES = new HashMap<>();
    private static final long POLL_NANOS = 100_000;

    private final Path in;
    private final Path out;
    private volatile Duration timeout;
    private FileOutputStream writer;
    private RandomAccessFile replies;
    private FileInputStream replyStream;

    private ExabgpPipeChannel(Path pipe) {
        this.in = Path.of(pipe + ".in");
        this.out = Path.of(pipe + ".out");
    }

    static synchronized ExabgpPipeChannel get(ExabgpConfig config) {
        ExabgpPipeChannel c = INSTANCES.computeIfAbsent(config.pipe.toAbsolutePath(), ExabgpPipeChannel::new);
        c.timeout = config.timeout;
        return c;
    }

    private static void requireFifo(Path p, Path in, Path out) throws IOException {
        if (!Files.exists(p) || Files.isRegularFile(p)) {
            throw new IOException(p + " is not a FIFO (ExaBGP only finds pipes: mkfifo " + in + " " + out + ")");
        }
    }

    @Override
    public synchronized void send(String command) throws IOException {
        requireFifo(out, in, out);
        requireFifo(in, in, out);
        if (replies == null) {
            replies = new RandomAccessFile(out.toFile(), "rw"); // O_RDWR: no block, no EOF
            replyStream = new FileInputStream(replies.getFD());
        }
        if (writer == null) writer = openIn();
        drainStale();
        try {
            writer.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            writer.flush();
        } catch (IOException e) {
            reset(); // EPIPE: ExaBGP stopped; reopen next time
            throw new IOException("ExaBGP pipe " + in + ": " + e.getMessage(), e);
        }
        String a = awaitAnswer();
        if (a == null) {
            reset();
            throw new IOException("no answer on " + out + " within " + timeout.toMillis() + " ms to: " + command);
        }
        if (!a.equals("done")) throw new IOException("ExaBGP answered " + a + " to: " + command);
    }

    /** Answers to a client that went away wait in the FIFO for the next reader: drop them. */
    private void drainStale() throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = replyStream.available()) > 0) {
            int r = replyStream.read(buf, 0, Math.min(n, buf.length));
            if (r > 0) log.debug("exabgp pipe: dropped {} stale bytes", r);
        }
    }

    /** Reads (without ever blocking) until a line "done", "error" or "shutdown", or the timeout. */
    private String awaitAnswer() throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (System.nanoTime() < deadline) {
            int n = replyStream.available();
            if (n <= 0) {
                LockSupport.parkNanos(POLL_NANOS);
                continue;
            }
            int r = replyStream.read(buf, 0, Math.min(n, buf.length));
            for (int i = 0; i < r; i++) {
                if (buf[i] != '\n') {
                    line.write(buf[i]);
                    continue;
                }
                String t = line.toString(StandardCharsets.UTF_8).trim();
                line.reset();
                if (t.equals("done") || t.equals("error") || t.equals("shutdown")) return t;
                if (!t.isEmpty()) log.debug("exabgp pipe: {}", t);
            }
        }
        return null;
    }

    private FileOutputStream openIn() throws IOException {
        CompletableFuture<FileOutputStream> open = CompletableFuture.supplyAsync(() -> {
            try {
                return new FileOutputStream(in.toFile()); // blocks until ExaBGP holds the other end
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, r -> {
            Thread t = new Thread(r, "dns-oops-exabgp-open");
            t.setDaemon(true);
            t.start();
        });
        try {
            return open.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Nobody reads the FIFO: ExaBGP is not running. Open the read end ourselves so the
            // blocked open returns, then close both, leaving no thread stuck.
            try (RandomAccessFile unblock = new RandomAccessFile(in.toFile(), "r")) {
                open.get(1, TimeUnit.SECONDS).close();
            } catch (Exception ignored) {
                // best effort
            }
            throw new IOException("cannot open " + in + " within " + timeout.toMillis() + " ms: is ExaBGP running?");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
            throw new IOException("cannot open " + in + ": " + c.getMessage(), c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted opening " + in);
        }
    }

    @Override
    public synchronized void reset() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // reopened next time
            }
        }
        writer = null;
    }
}
