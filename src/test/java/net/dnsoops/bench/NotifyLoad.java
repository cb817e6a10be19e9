package net.dnsoops.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import net.dnsoops.transport.NettyTransport;

/**
 * A closed-loop UDP NOTIFY load: like a primary with many zones to notify, it keeps a window of
 * NOTIFYs outstanding per socket and sends the next one as each answer arrives. Runs on one
 * Netty epoll thread so that answers are read with recvmmsg and the next NOTIFYs leave in one
 * sendmmsg per batch: the generator must cost the shared 2 cores far less than the daemon it
 * measures. A window that stalls (datagrams lost) is refilled after {@link #STALL_MS}.
 */
final class NotifyLoad implements AutoCloseable {
    private static final int STALL_MS = 20;
    private final EventLoopGroup group = NettyTransport.group(1, "bench-load");
    private final List<Channel> channels = new ArrayList<>();
    private final ByteBuf all;
    private final ByteBuf[] wires;
    private final int window;
    /** Per zone: when its last answer arrived (System.nanoTime), 0 if never. */
    final AtomicLongArray answeredAtNanos;
    // Written on the load's event-loop thread only; read after stop().
    private volatile boolean sending;
    private long sent;
    private long answered;
    private long refills;
    private int next;
    private boolean refillScheduled;
    private volatile boolean once;

    NotifyLoad(InetSocketAddress target, InetSocketAddress source, int zones, int sockets, int window) throws InterruptedException {
        this(target, source, zones, sockets, window, NotifySender::wire);
    }

    /** The same load with other messages: {@code wire} gives the one for zone i (its question "zi.bench."). */
    NotifyLoad(InetSocketAddress target, InetSocketAddress source, int zones, int sockets, int window,
               java.util.function.IntFunction<byte[]> wire) throws InterruptedException {
        this.window = window;
        // One direct buffer for all messages (released on close), sliced per zone.
        byte[][] bytes = new byte[zones][];
        int total = 0;
        for (int i = 0; i < zones; i++) total += (bytes[i] = wire.apply(i)).length;
        all = Unpooled.directBuffer(total);
        wires = new ByteBuf[zones];
        for (int i = 0; i < zones; i++) {
            int at = all.writerIndex();
            all.writeBytes(bytes[i]);
            wires[i] = Unpooled.unreleasableBuffer(all.slice(at, bytes[i].length));
        }
        answeredAtNanos = new AtomicLongArray(zones);
        for (int i = 0; i < sockets; i++) {
            Bootstrap b = new Bootstrap().group(group).channel(NettyTransport.datagram())
                    .option(ChannelOption.SO_RCVBUF, 8 << 20)
                    .option(ChannelOption.SO_SNDBUF, 8 << 20)
                    .option(ChannelOption.MAX_MESSAGES_PER_WRITE, 1024)
                    .handler(new Answers());
            if (NettyTransport.epoll()) {
                b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 512)
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(512 * 64));
            }
            Channel ch = (source == null ? b.connect(target) : b.connect(target, source)).sync().channel();
            channels.add(ch);
        }
    }

    /** Starts the load: every socket sends its window. */
    void start() {
        group.next().submit(() -> {
            sending = true;
            for (Channel ch : channels) {
                for (int k = 0; k < window; k++) sendNext(ch);
                ch.flush();
            }
            if (!refillScheduled) {
                refillScheduled = true;
                group.next().scheduleAtFixedRate(this::refillStalled, STALL_MS, STALL_MS, TimeUnit.MILLISECONDS);
            }
        }).syncUninterruptibly();
    }

    /** Stops sending; answers still arriving are counted. Returns {sent, answered, refills}. */
    long[] stop() {
        return group.next().submit(() -> {
            sending = false;
            return new long[] {sent, answered, refills};
        }).syncUninterruptibly().getNow();
    }

    long answered() {
        return group.next().submit(() -> answered).syncUninterruptibly().getNow();
    }

    /**
     * Sends each zone's message once, keeping the window outstanding, as a primary notifying
     * many changed zones does; {@link #resendUnanswered} then retries what got no answer.
     */
    void startOnce() {
        once = true;
        start();
    }

    /** Re-sends the message of every zone that has had no answer yet; returns how many. */
    int resendUnanswered() {
        return group.next().submit(() -> {
            int resent = 0;
            for (int zone = 0; zone < wires.length; zone++) {
                if (answeredAtNanos.get(zone) != 0) continue;
                Channel ch = channels.get(zone % channels.size());
                ch.write(wires[zone].duplicate(), ch.voidPromise());
                resent++;
            }
            channels.forEach(Channel::flush);
            return resent;
        }).syncUninterruptibly().getNow();
    }

    private void sendNext(Channel ch) {
        if (once && next == wires.length) return;
        int zone = next++;
        if (next == wires.length && !once) next = 0;
        ch.write(wires[zone].duplicate(), ch.voidPromise());
        sent++;
    }

    private long answeredAtLastTick;

    /** Datagrams lost on the way (either way) shrink the window; give it back when nothing moves. */
    private void refillStalled() {
        if (!sending || once) return; // a single pass is retried by resendUnanswered
        if (answered == answeredAtLastTick) {
            refills++;
            for (Channel ch : channels) {
                for (int k = 0; k < window; k++) sendNext(ch);
                ch.flush();
            }
        }
        answeredAtLastTick = answered;
    }

    private final class Answers extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = msg instanceof DatagramPacket p ? p.content() : (ByteBuf) msg;
            try {
                answered++;
                int zone = zoneOf(b);
                if (zone >= 0 && zone < answeredAtNanos.length()) answeredAtNanos.lazySet(zone, System.nanoTime());
                if (sending) sendNext(ctx.channel());
            } finally {
                b.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush(); // the batch of next NOTIFYs leaves in one sendmmsg
        }
    }

    /** Reads N from the question's first label "zN". */
    private static int zoneOf(ByteBuf b) {
        int start = b.readerIndex();
        if (b.readableBytes() < 14 || b.getByte(start + 13) != 'z') return -1;
        int labelLen = b.getByte(start + 12);
        int n = 0;
        for (int i = 14; i < 13 + labelLen && i < b.readableBytes(); i++) n = n * 10 + (b.getByte(start + i) - '0');
        return n;
    }

    @Override
    public void close() {
        for (Channel ch : channels) ch.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        all.release();
    }
}
