package net.dnsoops.input.soa;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.dnsoops.transport.NettyTransport;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * SOA queries over a small pool of long-lived UDP sockets, matched to answers by random ID,
 * source address and question. dnsjava's resolver opens a socket per query, which caps a
 * 2-core machine at a few thousand checks per second; this does the same job for tens of
 * thousands. Queries carry EDNS (see {@link SoaQueryWire}) so answers may bring Extended DNS
 * Errors. Off-path spoofing must guess the ID, the socket and the zone; TSIG (soa-key)
 * remains the answer where that is not enough (those queries go through dnsjava).
 */
final class UdpSoaClient implements AutoCloseable {
    private static final int SOCKETS = 8;

    private record Pending(Name zone, InetSocketAddress target, CompletableFuture<Message> result) {
    }

    private final EventLoopGroup group = NettyTransport.group(1);
    private final Channel[] v4 = new Channel[SOCKETS];
    private final Channel[] v6 = new Channel[SOCKETS];
    private final ConcurrentHashMap<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    UdpSoaClient() throws InterruptedException {
        for (int i = 0; i < SOCKETS; i++) {
            v4[i] = bind(new InetSocketAddress("0.0.0.0", 0));
            v6[i] = bind6();
        }
    }

    private Channel bind(InetSocketAddress local) throws InterruptedException {
        return new Bootstrap().group(group).channel(NettyTransport.datagram())
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        answer(ByteBufUtil.getBytes(p.content()), p.sender());
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // ICMP errors for one target; its query times out and fails over
                    }
                }).bind(local).sync().channel();
    }

    private Channel bind6() {
        try {
            return bind(new InetSocketAddress(InetAddress.getByName("::"), 0));
        } catch (Exception noIpv6) {
            return null;
        }
    }

    /** Sends one SOA query (with EDNS); the future fails with a TimeoutException after {@code timeout}. */
    CompletableFuture<Message> query(Name zone, InetSocketAddress target, Duration timeout) {
        CompletableFuture<Message> result = new CompletableFuture<>();
        int id;
        Pending p = new Pending(zone, target, result);
        do {
            id = random.nextInt(0x10000);
        } while (pending.putIfAbsent(id, p) != null);
        Channel[] pool = target.getAddress().getAddress().length == 4 ? v4 : v6;
        Channel ch = pool[random.nextInt(SOCKETS)];
        if (ch == null) {
            pending.remove(id);
            result.completeExceptionally(new IOException("no IPv6 socket"));
            return result;
        }
        int key = id;
        ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(SoaQueryWire.of(zone, id)), target));
        ch.eventLoop().schedule(() -> {
            if (pending.remove(key, p)) result.completeExceptionally(new TimeoutException("timeout"));
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return result;
    }

    private void answer(byte[] wire, InetSocketAddress from) {
        if (wire.length < 12) return;
        int id = ((wire[0] & 0xff) << 8) | (wire[1] & 0xff);
        Pending p = pending.get(id);
        if (p == null || !p.target().equals(from)) return; // not ours, or from elsewhere: ignore
        Message m = SoaQueryWire.parse(wire);
        if (m == null) return; // garbage with a matching ID: keep waiting for the real answer
        Record q = m.getQuestion();
        if (q == null || !q.getName().equals(p.zone()) || q.getType() != Type.SOA) return;
        if (pending.remove(id, p)) p.result().complete(m);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
