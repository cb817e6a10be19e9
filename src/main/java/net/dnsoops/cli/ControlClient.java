package net.dnsoops.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import net.dnsoops.daemon.InstanceLock;

/**
 * What "dns-oops drain|undrain|status" share: find the control socket and drain file in the
 * config, send one line, print the answer.
 *
 * <p>Success is reported only when the running daemon confirmed it, or when it is certain that
 * no daemon runs: a running daemon holds the instance lock next to its drain file (see
 * {@link InstanceLock}), so a free lock means the drain file itself may be changed (the next
 * start honours it). A held lock with a silent socket, or a lock the CLI cannot read, is an
 * error with the reason: then the drain file is left alone, because a running daemon would not
 * notice it until its next start.
 */
final class ControlClient {
    /** Exit codes, as dns-oops(8) lists them. */
    static final int OK = 0;
    static final int REFUSED = 1;
    static final int UNREACHABLE = 2;

    private ControlClient() {
    }

    static int run(Path configFile, String command) {
        DnsOopsConfig c;
        try {
            c = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            System.err.println("dns-oops: " + e.getMessage());
            return UNREACHABLE;
        }
        String reply;
        try {
            reply = ask(c, command);
        } catch (IOException e) {
            return offline(c, command, e);
        }
        if (reply != null && reply.startsWith("ok")) {
            System.out.println(reply);
            return OK;
        }
        System.err.println("dns-oops: " + command + ": " + (reply == null ? "the daemon closed the connection without an answer"
                : reply.replaceFirst("^error ", "")));
        return REFUSED;
    }

    /** Sends one command to the running daemon and returns its one-line answer (null if none). */
    static String ask(DnsOopsConfig c, String command) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(c.controlSocket));
            // A stopped (SIGSTOP) or wedged daemon accepts but never answers: give up rather than hang.
            java.util.concurrent.CompletableFuture<Void> timer = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the reader reports it
                }
            }, java.util.concurrent.CompletableFuture.delayedExecutor(ANSWER_TIMEOUT.toSeconds(),
                    java.util.concurrent.TimeUnit.SECONDS));
            try {
                ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
                return new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8))
                        .readLine();
            } catch (IOException e) {
                if (timer.isDone()) throw new IOException("no answer within " + ANSWER_TIMEOUT.toSeconds() + " s", e);
                throw e;
            } finally {
                timer.cancel(false);
            }
        }
    }

    /** Longer than the daemon's own bound for a status document at a million zones. */
    static final java.time.Duration ANSWER_TIMEOUT = java.time.Duration.ofSeconds(60);

    /**
     * Why the socket did not answer, when that is not "no daemon runs": null when the instance
     * lock is free (certainly not running), else a sentence for the operator.
     */
    static String whyUnreachable(DnsOopsConfig c, IOException why) {
        try (InstanceLock.Probe p = InstanceLock.probe(InstanceLock.pathFor(c.drainFile))) {
            return p.state() == InstanceLock.State.FREE ? null : whyUnreachable(c, p, why);
        }
    }

    private static int offline(DnsOopsConfig c, String command, IOException why) {
        Path lock = InstanceLock.pathFor(c.drainFile);
        try (InstanceLock.Probe p = InstanceLock.probe(lock)) {
            // While the probe is open no daemon can start: the drain file cannot change under one.
            if (p.state() != InstanceLock.State.FREE) {
                System.err.println("dns-oops: " + command + " not done: " + whyUnreachable(c, p, why));
                return UNREACHABLE;
            }
            switch (command) {
                case "drain" -> {
                    Files.createDirectories(c.drainFile.toAbsolutePath().getParent());
                    Files.writeString(c.drainFile, "drained at " + Instant.now() + " (daemon not running)\n");
                    System.out.println("ok drained (dns-oops not running: " + c.drainFile + " written; it starts drained)");
                    return OK;
                }
                case "undrain" -> {
                    Files.deleteIfExists(c.drainFile);
                    System.out.println("ok undrained (dns-oops not running: " + c.drainFile + " removed)");
                    return OK;
                }
                default -> {
                    System.err.println("dns-oops: " + command + ": dns-oops is not running (" + c.controlSocket + ": "
                            + why.getMessage() + ")");
                    return UNREACHABLE;
                }
            }
        } catch (IOException e) {
            System.err.println("dns-oops: " + command + " not done: dns-oops is not running and " + c.drainFile
                    + " cannot be changed: " + e);
            return REFUSED;
        }
    }

    private static String whyUnreachable(DnsOopsConfig c, InstanceLock.Probe p, IOException why) {
        return p.state() == InstanceLock.State.HELD
                ? "dns-oops is running (" + p.detail() + ") but its control socket " + c.controlSocket
                        + " does not answer: " + why.getMessage()
                : "cannot reach the control socket " + c.controlSocket + " (" + why.getMessage()
                        + ") and cannot tell whether dns-oops runs: " + p.detail() + " (run as root or as the daemon's user)";
    }
}
