package net.dnsoops.ops;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sd_notify(3) in Java: sends "READY=1", "STOPPING=1", "WATCHDOG=1", "STATUS=..." datagrams to
 * the unix datagram socket systemd names in $NOTIFY_SOCKET. JDK 17's DatagramChannel cannot do
 * AF_UNIX, so this uses Netty's native epoll transport (bundled in netty-all for Linux).
 * An abstract socket ("@name") is sent to with a leading NUL, as systemd expects.
 */
public final class SystemdNotify implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SystemdNotify.class);

    private final String socket;
    private final EventLoopGroup group;
    private final Channel channel;

    private SystemdNotify(String socket) throws InterruptedException {
        this.socket = socket;
        this.group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            this.channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .option(ChannelOption.DATAGRAM_CHANNEL_ACTIVE_ON_REGISTRATION, true)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            io.netty.util.ReferenceCountUtil.release(msg);
                        }
                    })
                    .register().sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** A notifier for $NOTIFY_SOCKET, or empty when not started by systemd with Type=notify (or no epoll). */
    public static Optional<SystemdNotify> fromEnvironment(Map<String, String> env) {
        String path = env.get("NOTIFY_SOCKET");
        if (path == null || path.isEmpty()) return Optional.empty();
        if (!Epoll.isAvailable()) {
            log.warn("NOTIFY_SOCKET is set but Netty's epoll transport is unavailable: cannot notify systemd ({})",
                    Epoll.unavailabilityCause().toString());
            return Optional.empty();
        }
        try {
            return Optional.of(new SystemdNotify(path));
        } catch (Exception e) {
            log.warn("cannot open a socket to notify systemd at {}: {}", path, e.toString());
            return Optional.empty();
        }
    }

    /** Sends one notification (lines "KEY=value"); true if the datagram was sent. Never throws. */
    public boolean send(String state) {
        String target = socket.startsWith("@") ? "\0" + socket.substring(1) : socket;
        try {
            var f = channel.writeAndFlush(new DomainDatagramPacket(
                    Unpooled.copiedBuffer(state, StandardCharsets.UTF_8), new DomainSocketAddress(target)));
            if (!f.await(2, TimeUnit.SECONDS) || !f.isSuccess()) {
                log.warn("systemd notification {} failed: {}", state.replace('\n', ' '), f.cause() == null ? "timeout" : f.cause().toString());
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
