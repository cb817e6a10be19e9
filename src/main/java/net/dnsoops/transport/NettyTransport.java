package net.dnsoops.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Netty plumbing shared by the inputs: picks Linux epoll when its native library loads, Java NIO otherwise. */
public final class NettyTransport {
    private NettyTransport() {
    }

    public static boolean epoll() {
        return Epoll.isAvailable();
    }

    /** {@code name} names the threads ("dns-oops-notify-1-0"), so jstack and top -H tell the inputs apart. */
    public static EventLoopGroup group(int threads, String name) {
        IoHandlerFactory f = epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name), f);
    }

    /**
     * A UDP socket for the listener: large receive buffer; with epoll, SO_REUSEPORT and
     * recvmmsg (several datagrams per system call).
     */
    public static Bootstrap udpBootstrap(EventLoopGroup group, ChannelHandler handler) {
        Bootstrap b = new Bootstrap().group(group).channel(datagram())
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.SO_SNDBUF, 4 << 20)
                .handler(handler);
        if (epoll()) {
            b.option(EpollChannelOption.SO_REUSEPORT, true)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * 32));
        }
        return b;
    }

    /** Largest NOTIFY we read over UDP; longer datagrams are cut (and then answered FORMERR). */
    public static final int MAX_DATAGRAM = 4096;

    public static Class<? extends DatagramChannel> datagram() {
        return epoll() ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    public static Class<? extends ServerChannel> server() {
        return epoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
