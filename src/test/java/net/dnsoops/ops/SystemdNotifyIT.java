package net.dnsoops.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.dnsoops.testsupport.OwnControl;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sd_notify over a real unix datagram socket, as systemd provides it: the packaged jar, started
 * with $NOTIFY_SOCKET and $WATCHDOG_USEC, sends READY=1 only after its first verification
 * round, pings the watchdog, and says STOPPING=1 on SIGTERM.
 */
class SystemdNotifyIT {
    static final Path JAR = Paths.get("target/dns-oops.jar").toAbsolutePath();

    @TempDir
    Path dir;

    /** A stand-in for systemd's notify socket: records each datagram with the time it arrived. */
    static final class FakeSystemd implements AutoCloseable {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        final Channel channel;

        FakeSystemd(Path socket) throws InterruptedException {
            channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
                            messages.add(p.content().toString(StandardCharsets.UTF_8));
                        }
                    }).bind(new DomainSocketAddress(socket.toFile())).sync().channel();
        }

        long count(String line) {
            return messages.stream().filter(m -> m.lines().anyMatch(line::equals)).count();
        }

        @Override
        public void close() {
            channel.close().awaitUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    @Test
    void notifierSendsToARealUnixDatagramSocket() throws Exception {
        Path socket = dir.resolve("notify");
        try (FakeSystemd systemd = new FakeSystemd(socket);
             SystemdNotify n = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", socket.toString())).orElseThrow()) {
            assertTrue(n.send("READY=1\nSTATUS=hello"));
            Eventually.await(Duration.ofSeconds(5), "READY=1 received", () -> systemd.count("READY=1") == 1);
            assertEquals("READY=1\nSTATUS=hello", systemd.messages.get(0));
        }
        assertTrue(SystemdNotify.fromEnvironment(Map.of()).isEmpty());
    }

    @Test
    void watchdogIntervalIsHalfOfWatchdogUsecForThisProcess() {
        assertEquals(Duration.ofMillis(500), SystemdSupervisor.watchdogInterval(Map.of("WATCHDOG_USEC", "1000000")).orElseThrow());
        assertTrue(SystemdSupervisor.watchdogInterval(Map.of("WATCHDOG_USEC", "1000000", "WATCHDOG_PID", "1")).isEmpty());
        assertTrue(SystemdSupervisor.watchdogInterval(Map.of()).isEmpty());
    }

    @Test
    void theDaemonIsReadyAfterItsFirstRoundPingsTheWatchdogAndSaysStopping() throws Exception {
        Path socket = dir.resolve("notify");
        int port = FreePorts.next();
        int deadPrimary = FreePorts.next();
        Path config = Files.writeString(dir.resolve("dns-oops.json"), OwnControl.in(dir, "{ ") + "\"listen\": [\"127.0.0.1@" + port + "\"],"
                + " \"zones\": { \"slow.test.\": { \"primaries\": [\"127.0.0.1@" + deadPrimary + "\"],"
                + " \"soa-timeout\": \"1500ms\", \"soa-tries\": 1 } } }");
        // Nothing answers on deadPrimary's UDP port... but loopback sends ICMP port unreachable
        // at once; a blackhole is what makes the first round take time. Bind a silent UDP socket.
        try (FakeSystemd systemd = new FakeSystemd(socket);
             java.net.DatagramSocket silent = new java.net.DatagramSocket(
                     new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), deadPrimary))) {
            long started = System.nanoTime();
            Process p = startDaemon(config, Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "600000"));
            try {
                Eventually.await(Duration.ofSeconds(20), "READY=1", () -> systemd.count("READY=1") == 1, () -> log(dir));
                long readyAfterMs = (System.nanoTime() - started) / 1_000_000;
                // The only zone's first check takes the 1.5 s SOA timeout: READY=1 cannot come before.
                assertTrue(readyAfterMs >= 1500, "READY=1 after " + readyAfterMs + " ms, before the first round ended");
                String ready = systemd.messages.stream().filter(m -> m.contains("READY=1")).findFirst().orElseThrow();
                assertTrue(ready.contains("STATUS=1 zones, 0 ready; services: default not ready (1 of 1 zones not ready)"),
                        ready);
                Eventually.await(Duration.ofSeconds(5), "two WATCHDOG=1 pings", () -> systemd.count("WATCHDOG=1") >= 2,
                        () -> systemd.messages + "\n" + log(dir));
                new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
                assertTrue(p.waitFor(15, TimeUnit.SECONDS), "daemon did not stop");
                assertEquals(0, p.exitValue(), log(dir));
                assertEquals(1, systemd.count("STOPPING=1"), systemd.messages.toString());
            } finally {
                if (p.isAlive()) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aLongFirstRoundThatMakesProgressExtendsTheStartTimeout() throws Exception {
        // A million zones at 500 SOA queries a second take half an hour to check once, far beyond
        // TimeoutStartSec: here three zones at one query a second against a silent primary.
        Path socket = dir.resolve("notify");
        int port = FreePorts.next();
        int deadPrimary = FreePorts.next();
        Path config = Files.writeString(dir.resolve("dns-oops.json"), OwnControl.in(dir, "{ ") + "\"listen\": [\"127.0.0.1@" + port + "\"],"
                + " \"soa-queries-per-second\": 1,"
                + " \"defaults\": { \"primaries\": [\"127.0.0.1@" + deadPrimary + "\"], \"soa-timeout\": \"1500ms\","
                + " \"soa-tries\": 1 },"
                + " \"zones\": { \"a.test.\": {}, \"b.test.\": {}, \"c.test.\": {} } }");
        try (FakeSystemd systemd = new FakeSystemd(socket);
             java.net.DatagramSocket silent = new java.net.DatagramSocket(
                     new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), deadPrimary))) {
            Process p = startDaemon(config, Map.of("NOTIFY_SOCKET", socket.toString()));
            try {
                Eventually.await(Duration.ofSeconds(30), "READY=1", () -> systemd.count("READY=1") == 1, () -> log(dir));
                List<String> before = systemd.messages.subList(0, indexOf(systemd.messages, "READY=1"));
                List<String> extensions = before.stream().filter(m -> m.startsWith("EXTEND_TIMEOUT_USEC=")).toList();
                assertTrue(!extensions.isEmpty(), "no EXTEND_TIMEOUT_USEC before READY=1: " + systemd.messages);
                assertEquals("EXTEND_TIMEOUT_USEC=60000000", extensions.get(0).lines().findFirst().orElseThrow());
                assertTrue(extensions.get(0).contains("STATUS=first round: ") && extensions.get(0).contains(" of 3 zones checked"),
                        extensions.get(0));
                Thread.sleep(1500);
                assertEquals(extensions.size(), systemd.messages.stream().filter(m -> m.startsWith("EXTEND_TIMEOUT_USEC=")).count(),
                        "no extension once ready: " + systemd.messages);
            } finally {
                p.destroy();
                if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The packaged jar on {@code config}, with systemd's environment, logging to dir/daemon.log. */
    private Process startDaemon(Path config, Map<String, String> env) throws java.io.IOException {
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", JAR.toString(), "run", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    private static int indexOf(List<String> messages, String line) {
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).lines().anyMatch(line::equals)) return i;
        }
        return -1;
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("daemon.log"));
        } catch (Exception e) {
            return "no log: " + e;
        }
    }
}
