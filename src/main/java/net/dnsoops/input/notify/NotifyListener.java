package net.dnsoops.input.notify;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import net.dnsoops.capture.TrafficObserver;
import net.dnsoops.config.TsigKeys;
import net.dnsoops.config.ConfigValues;
import net.dnsoops.transport.NettyTransport;
import net.dnsoops.core.CoreSink;
import net.dnsoops.core.Health;
import net.dnsoops.core.Input;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NOTIFY listener input: UDP and TCP on every configured address (Knot notifies over TCP
 * only, NSD and BIND over UDP). Answers at once; verification happens later in the core.
 */
public final class NotifyListener implements Input {
    private static final Logger log = LoggerFactory.getLogger(NotifyListener.class);

    private final List<InetSocketAddress> addresses;
    private final Duration idleTimeout;
    private final NotifyCounters counters = new NotifyCounters();
    private final TcpConnectionLimit limit;
    private final List<Channel> channels = new ArrayList<>();
    /** Further UDP sockets sharing a port with one in {@link #channels}. */
    private final List<Channel> extraUdp = new ArrayList<>();
    private EventLoopGroup group;
    private final Supplier<TsigKeys> keys;
    private final long ratePerSource;
    private TrafficObserver observer = TrafficObserver.NONE;

    public NotifyListener(List<InetSocketAddress> addresses, Duration idleTimeout, int maxConnections,
                          Supplier<TsigKeys> keys) {
        this(addresses, idleTimeout, maxConnections, keys, 0);
    }

    /** {@code ratePerSource}: messages per second one source address may send (0: unlimited). */
    public NotifyListener(List<InetSocketAddress> addresses, Duration idleTimeout, int maxConnections,
                          Supplier<TsigKeys> keys, long ratePerSource) {
        this.keys = keys;
        this.ratePerSource = ratePerSource;
        this.addresses = List.copyOf(addresses);
        this.idleTimeout = idleTimeout;
        this.limit = new TcpConnectionLimit(maxConnections);
    }

    @Override
    public String name() {
        return "notify";
    }

    /** Reports NOTIFY traffic of capturing zones (pcap/DSC) to {@code o}; call before {@link #start}. */
    public NotifyListener observe(TrafficObserver o) {
        this.observer = o;
        return this;
    }

    @Override
    public void start(CoreSink core) throws Exception {
        NotifyResponder responder = new NotifyResponder(core, counters, keys, ratePerSource, ratePerSource);
        responder.observe(observer);
        UdpNotifyHandler udp = new UdpNotifyHandler(responder);
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        group = NettyTransport.group(threads, "dns-oops-notify");
        try {
            for (InetSocketAddress a : addresses) {
                // TCP first, without SO_REUSEPORT: a second instance on the same port fails here
                // instead of silently sharing the UDP port (and half the NOTIFYs) with us.
                Channel tcpChannel = new ServerBootstrap().group(group).channel(NettyTransport.server())
                        .option(ChannelOption.SO_BACKLOG, 1024)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(limit,
                                        new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS),
                                        new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2),
                                        new LengthFieldPrepender(2),
                                        new TcpNotifyHandler(responder));
                            }
                        }).bind(a).sync().channel();
                // UDP on the same port (also when port 0 was asked for). With epoll, one socket per
                // event-loop thread (SO_REUSEPORT): the kernel spreads datagrams, every core reads.
                InetSocketAddress udpAddress = new InetSocketAddress(a.getAddress(),
                        ((InetSocketAddress) tcpChannel.localAddress()).getPort());
                Channel udpChannel = null;
                int sockets = NettyTransport.epoll() ? threads : 1;
                for (int i = 0; i < sockets; i++) {
                    Channel c = NettyTransport.udpBootstrap(group, udp).bind(udpAddress).sync().channel();
                    if (udpChannel == null) udpChannel = c; else extraUdp.add(c);
                }
                channels.add(udpChannel);
                channels.add(tcpChannel);
                log.info("listening for NOTIFY on {} udp, {} tcp ({})", format((InetSocketAddress) udpChannel.localAddress()),
                        format((InetSocketAddress) tcpChannel.localAddress()), NettyTransport.epoll() ? "epoll" : "nio");
            }
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot listen on " + addresses.stream().map(NotifyListener::format).toList()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The bound addresses (with the real port when 0 was configured), UDP first then TCP for each. */
    public List<InetSocketAddress> boundAddresses() {
        return channels.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
    }

    public NotifyCounters counters() {
        return counters;
    }

    @Override
    public Health health() {
        return Health.ok(channels.size() + " sockets, " + limit.open() + " tcp connections");
    }

    @Override
    public void close() {
        for (Channel c : channels) c.close().syncUninterruptibly();
        for (Channel c : extraUdp) c.close().syncUninterruptibly();
        channels.clear();
        extraUdp.clear();
        if (group != null) group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        group = null;
    }

    private static String format(InetSocketAddress a) {
        return ConfigValues.format(a);
    }
}
