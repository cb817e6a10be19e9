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

/**
 * What "dns-oops drain|undrain|status" share: find the control socket and drain file in the
 * config, send one line, print the answer. If the daemon is not running, drain and undrain
 * change the drain file directly; the next start honours it.
 */
final class ControlClient {
    private ControlClient() {
    }

    static int run(Path configFile, String command) {
        DnsOopsConfig c;
        try {
            c = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        try {
            String reply = ask(c, command);
            System.out.println(reply == null ? "error no answer" : reply);
            return reply != null && reply.startsWith("ok") ? 0 : 1;
        } catch (IOException e) {
            return offline(c, command, e);
        }
    }

    /** Sends one command to the running daemon and returns its one-line answer (null if none). */
    static String ask(DnsOopsConfig c, String command) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(c.controlSocket));
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            return new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8))
                    .readLine();
        }
    }

    private static int offline(DnsOopsConfig c, String command, IOException why) {
        try {
            switch (command) {
                case "drain" -> {
                    Files.createDirectories(c.drainFile.toAbsolutePath().getParent());
                    Files.writeString(c.drainFile, "drained at " + Instant.now() + " (daemon not running)\n");
                    System.out.println("ok drained (dns-oops not running: " + c.drainFile + " written; it starts drained)");
                }
                case "undrain" -> {
                    Files.deleteIfExists(c.drainFile);
                    System.out.println("ok undrained (dns-oops not running: " + c.drainFile + " removed)");
                }
                default -> {
                    System.out.println("not running (" + c.controlSocket + ": " + why.getMessage() + "); "
                            + (Files.exists(c.drainFile) ? "drained" : "not drained"));
                    return 3;
                }
            }
            return 0;
        } catch (IOException e) {
            System.err.println("cannot change " + c.drainFile + ": " + e.getMessage());
            return 1;
        }
    }
}
