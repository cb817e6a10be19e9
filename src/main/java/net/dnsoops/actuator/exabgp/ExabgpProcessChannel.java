package net.dnsoops.actuator.exabgp;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dns-oops as ExaBGP's API process: each command is one line on file descriptor 1 (flushed at
 * once; nothing else may ever be written there, which is why logs go to stderr), and ExaBGP
 * answers "done" or "error" on file descriptor 0. There is one stdin and one stdout per process,
 * so this is a singleton shared by successive actuators across config reloads.
 *
 * <p>End of stdin means ExaBGP went away: like ExaBGP's own healthcheck, dns-oops then exits
 * (a new ExaBGP starts a new dns-oops). ExaBGP's "shutdown" line means the same without the
 * exit (ExaBGP sends SIGTERM next and waits for us): either way no command will be answered
 * again, and routes need no withdrawal since ExaBGP's sessions take them down.
 */
final class ExabgpProcessChannel implements ExabgpChannel {
    private static final Logger log = LoggerFactory.getLogger(ExabgpProcessChannel.class);
    private static ExabgpProcessChannel instance;

    private final OutputStream out = new FileOutputStream(FileDescriptor.out);
    private final LinkedBlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private volatile boolean gone;
    private volatile Duration timeout = Duration.ofSeconds(5);
    private volatile boolean ack = true;

    private ExabgpProcessChannel() {
        // fd 1 belongs to ExaBGP now: anything that prints to System.out by mistake goes to stderr
        System.setOut(new java.io.PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        Thread reader = new Thread(this::read, "dns-oops-exabgp-stdin");
        reader.setDaemon(true);
        reader.start();
    }

    static synchronized ExabgpProcessChannel get(ExabgpConfig config) {
        if (instance == null) instance = new ExabgpProcessChannel();
        instance.timeout = config.timeout;
        instance.ack = config.ack;
        return instance;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(FileDescriptor.in),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String t = line.trim();
                if (t.equals("done") || t.equals("error")) {
                    answers.add(t);
                } else if (t.equals("shutdown") || t.startsWith("shutdown ")) {
                    // ExaBGP 4.2 is stopping ("shutdown <pid> <ppid>", then SIGTERM to us): its
                    // routes go with its sessions and nothing we send will be answered
                    log.info("exabgp: ExaBGP is shutting down; its routes go with it, no withdrawal to confirm");
                    gone = true;
                    answers.add("gone");
                } else if (!t.isEmpty()) {
                    log.debug("exabgp: {}", t); // events, if the process was configured to receive any
                }
            }
        } catch (IOException e) {
            log.warn("exabgp: reading stdin: {}", e.toString());
        }
        gone = true;
        answers.add("gone");
        log.warn("exabgp: stdin closed, ExaBGP went away; dns-oops exits (ExaBGP starts a new one)");
        Thread exit = new Thread(() -> System.exit(0), "dns-oops-exabgp-exit");
        exit.start();
    }

    @Override
    public synchronized void send(String command) throws IOException {
        if (gone) throw new IOException("ExaBGP is gone (shutting down or stdin closed)");
        out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (!ack) return;
        String a;
        try {
            a = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for ExaBGP");
        }
        if (a == null) throw new IOException("no answer from ExaBGP within " + timeout.toMillis() + " ms to: " + command);
        if (a.equals("done")) return;
        if (a.equals("gone")) throw new IOException("ExaBGP went away before answering: " + command);
        throw new IOException("ExaBGP answered " + a + " to: " + command);
    }

    @Override
    public boolean gone() {
        return gone;
    }

    @Override
    public void reset() {
        answers.clear(); // a late answer to a timed-out command must not be taken for the next one's
    }
}
