package net.dnsoops.actuator.exabgp;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A separately running ExaBGP 4.2, through the CLI FIFOs it finds (never creates) at
 * {@code <pipe>.in} and {@code <pipe>.out}. {@code .out} is opened read-write: that never blocks
 * and never sees end-of-file, whether ExaBGP runs or not. {@code .in} is opened write-only,
 * which blocks while ExaBGP is down, so the open runs on a helper thread with a timeout and a
 * stuck open is released by opening the FIFO's other end ourselves. Every answer ends with a line
 * "done" or "error". One instance per pipe path in the process, shared across config reloads, so
 * that only one thread ever reads {@code .out}.
 */
final class ExabgpPipeChannel implements ExabgpChannel {
    private static final Logger log = LoggerFactory.getLogger(ExabgpPipeChannel.class);
    private static final Map<Path, ExabgpPipeChannel> INSTANCES = new HashMap<>();

    private final Path in;
    private final Path out;
    private final LinkedBlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private volatile Duration timeout;
    private FileOutputStream writer;
    private Thread reader;

    private ExabgpPipeChannel(Path pipe) {
        this.in = Path.of(pipe + ".in");
        this.out = Path.of(pipe + ".out");
    }

    static synchronized ExabgpPipeChannel get(ExabgpConfig config) {
        ExabgpPipeChannel c = INSTANCES.computeIfAbsent(config.pipe.toAbsolutePath(), ExabgpPipeChannel::new);
        c.timeout = config.timeout;
        return c;
    }

    private synchronized void startReader() throws IOException {
        if (reader != null) return;
        if (!java.nio.file.Files.exists(out) || java.nio.file.Files.isRegularFile(out)) {
            throw new IOException(out + " is not a FIFO (ExaBGP only finds pipes: mkfifo " + in + " " + out + ")");
        }
        RandomAccessFile f = new RandomAccessFile(out.toFile(), "rw"); // O_RDWR: no block, no EOF
        reader = new Thread(() -> read(f), "dns-oops-exabgp-pipe");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(RandomAccessFile f) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            while (true) {
                int n = f.read(buf);
                if (n < 0) break;
                for (int i = 0; i < n; i++) {
                    if (buf[i] != '\n') {
                        line.write(buf[i]);
                        continue;
                    }
                    String t = line.toString(StandardCharsets.UTF_8).trim();
                    line.reset();
                    if (t.equals("done") || t.equals("error") || t.equals("shutdown")) answers.add(t);
                    else if (!t.isEmpty()) log.debug("exabgp pipe: {}", t);
                }
            }
        } catch (IOException e) {
            log.warn("exabgp pipe: reading {}: {}", out, e.toString());
        }
        synchronized (this) {
            reader = null;
        }
    }

    @Override
    public synchronized void send(String command) throws IOException {
        startReader();
        if (writer == null) writer = openIn();
        answers.clear(); // stale answers for a client that went away
        try {
            writer.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            writer.flush();
        } catch (IOException e) {
            reset(); // EPIPE: ExaBGP stopped; reopen next time
            throw new IOException("ExaBGP pipe " + in + ": " + e.getMessage(), e);
        }
        String a;
        try {
            a = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for ExaBGP");
        }
        if (a == null) {
            reset();
            throw new IOException("no answer on " + out + " within " + timeout.toMillis() + " ms to: " + command);
        }
        if (!a.equals("done")) throw new IOException("ExaBGP answered " + a + " to: " + command);
    }

    private FileOutputStream openIn() throws IOException {
        // FileOutputStream would create a plain file where the FIFO is missing: check first.
        if (!java.nio.file.Files.exists(in) || java.nio.file.Files.isRegularFile(in)) {
            throw new IOException(in + " is not a FIFO (ExaBGP only finds pipes: mkfifo " + in + " " + out + ")");
        }
        CompletableFuture<FileOutputStream> open = CompletableFuture.supplyAsync(() -> {
            try {
                return new FileOutputStream(in.toFile()); // blocks until ExaBGP holds the other end
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
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
            Throwable c = e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
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
        answers.clear();
    }
}
