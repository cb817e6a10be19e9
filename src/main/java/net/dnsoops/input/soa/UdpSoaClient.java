package net.dnsoops.input.soa;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.dnsoops.core.CheckResult;
import net.dnsoops.transport.NettyTransport;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * SOA queries over UDP, matched to answers by random ID, the socket they left from, the
 * server's address and port, and the question (name, type, class). dnsjava's resolver opens a socket per query and runs a selector
 * thread of its own, which caps a 2-core machine at a few thousand checks per second (TSIG-signed
 * checks went through it at 18k/s, its two threads taking 1.1 cores); this does the same job for
 * tens of thousands. Queries carry EDNS (see {@link SoaQueryWire}) so answers may bring Extended
 * DNS Errors.
 *
 * <p>Queries to a loopback primary leave from a small pool of long-lived sockets: nobody off this
 * host can send from a loopback address. Queries to any other primary each get a socket of their
 * own, bound to a port the kernel picks at random and closed when the answer or the timeout
 * comes (RFC 5452): a forger must then guess a port that exists only while that one query waits
 * as well as its 16-bit ID, and a port seen once tells it nothing about the next query. Where
 * even that is not enough, TSIG (soa-key): such a query is signed here with dnsjava's TSIG, and
 * its answer is verified against the query's signature before the check is judged.
 */
final class UdpSoaClient implements AutoCloseable {
    private static final int SOCKETS = 8;
    private static final InetAddress ANY4 = any("0.0.0.0");
    private static final InetAddress ANY6 = any("::");

    private static InetAddress any(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers are due by {@code deadlineNanos} (System.nanoTime); a sweep fails the late ones. */
    private record Pending(Name zone, byte[] zoneWire, InetSocketAddress target, CompletableFuture<SoaReply> result,
                           long deadlineNanos, TSIG key, TSIGRecord querySignature, Channel via) {
    }

    private record Outgoing(Channel channel, DatagramPacket packet) {
    }

    /** How often late answers are looked for: timeouts are seconds, so this is precise enough. */
    private static final long SWEEP_MS = 20;

    private final EventLoopGroup group = NettyTransport.group(1, "dns-oops-soa");
    private final Channel[] v4 = new Channel[SOCKETS];
    private final Channel[] v6 = new Channel[SOCKETS];
    private final ConcurrentHashMap<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final QueryIds ids = new QueryIds();
    /**
     * Queries waiting for the event loop. Callers on other threads add to it and wake the loop
     * only when no drain is scheduled yet, so a burst of checks costs one wake-up and leaves in
     * one sendmmsg per socket instead of one task, one wake-up and one send each.
     */
    private final ConcurrentLinkedQueue<Outgoing> outgoing = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Queries whose answer never came (lost, or a primary too slow or overloaded). */
    private final AtomicLong timeouts = new AtomicLong();

    /** Which primaries get a socket per query; the daemon's: every one not on a loopback address. */
    private final java.util.function.Predicate<InetAddress> perQuerySocket;

    UdpSoaClient() throws InterruptedException {
        this(a -> !a.isLoopbackAddress());
    }

    UdpSoaClient(java.util.function.Predicate<InetAddress> perQuerySocket) throws InterruptedException {
        this.perQuerySocket = perQuerySocket;
        for (int i = 0; i < SOCKETS; i++) {
            v4[i] = bind(new InetSocketAddress("0.0.0.0", 0));
            v6[i] = bind6();
        }
        group.scheduleAtFixedRate(this::sweepLate, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    /** Reads answers on every socket, pooled or per query, telling {@link #answer} which one. */
    @ChannelHandler.Sharable
    private final class Reader extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            answer(ByteBufUtil.getBytes(p.content()), p.sender(), ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // ICMP errors for one target; its query times out and fails over
        }
    }

    private final Reader reader = new Reader();
    /** Sockets of one query each, for primaries that are not on this host. */
    private final Bootstrap perQuery = new Bootstrap().group(group).channel(NettyTransport.datagram()).handler(reader);

    private Channel bind(InetSocketAddress local) throws InterruptedException {
        Bootstrap b = new Bootstrap().group(group).channel(NettyTransport.datagram())
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .handler(reader);
        if (NettyTransport.epoll()) {
            // recvmmsg: a busy socket's answers are read several per system call
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, NettyTransport.MAX_DATAGRAM)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(NettyTransport.MAX_DATAGRAM * 16));
        }
        return b.bind(local).sync().channel();
    }

    private Channel bind6() {
        try {
            return bind(new InetSocketAddress(InetAddress.getByName("::"), 0));
        } catch (Exception noIpv6) {
            return null;
        }
    }

    /** Sends one SOA query (with EDNS); the future fails with a TimeoutException after {@code timeout}. */
    CompletableFuture<SoaReply> query(Name zone, InetSocketAddress target, Duration timeout) {
        return query(zone, target, timeout, null);
    }

    /**
     * As above, signed with {@code key} when it is not null: the answer is then parsed in full and
     * verified against this query's signature ({@link Message#isVerified()} tells the judge).
     */
    CompletableFuture<SoaReply> query(Name zone, InetSocketAddress target, Duration timeout, TSIG key) {
        CompletableFuture<SoaReply> result = new CompletableFuture<>();
        boolean local = !perQuerySocket.test(target.getAddress());
        Channel ch;
        ChannelFuture bound = null;
        if (local) {
            Channel[] pool = target.getAddress().getAddress().length == 4 ? v4 : v6;
            ch = pool[ids.next16() % SOCKETS];
        } else {
            bound = perQuery.bind(target.getAddress() instanceof Inet4Address ? ANY4 : ANY6, 0);
            ch = bound.channel();
            result.whenComplete((r, e) -> ch.close());
        }
        if (ch == null) {
            result.completeExceptionally(new IOException("no IPv6 socket"));
            return result;
        }
        byte[] zoneWire = zone.toWire();
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuf wire;
        if (key == null) {
            Pending p = new Pending(zone, zoneWire, target, result, deadline, null, null, ch);
            int id;
            do {
                id = ids.next16();
            } while (pending.putIfAbsent(id, p) != null);
            wire = SoaQueryWire.write(ch.alloc().directBuffer(SoaQueryWire.length(zoneWire)), id, zoneWire);
        } else {
            Message signed;
            do { // the ID is part of what is signed: sign again if another query took it meanwhile
                signed = SoaQueryWire.signed(zone, ids.next16(), key);
            } while (pending.putIfAbsent(signed.getHeader().getID(),
                    new Pending(zone, zoneWire, target, result, deadline, key, signed.getTSIG(), ch)) != null);
            wire = Unpooled.wrappedBuffer(signed.toWire());
        }
        DatagramPacket packet = new DatagramPacket(wire, target);
        if (bound != null) {
            bound.addListener(f -> {
                if (f.isSuccess()) {
                    ch.writeAndFlush(packet, ch.voidPromise());
                } else {
                    packet.release();
                    fail(result, f.cause());
                }
            });
            return result;
        }
        outgoing.add(new Outgoing(ch, packet));
        if (drainScheduled.compareAndSet(false, true)) group.execute(this::drain);
        return result;
    }

    /** Ends a query that could not be sent; its ID is then free again. */
    private void fail(CompletableFuture<SoaReply> result, Throwable cause) {
        pending.values().removeIf(p -> p.result() == result);
        result.completeExceptionally(cause instanceof IOException io ? io : new IOException(cause));
    }

    /** On the event loop: writes every queued query, then flushes each socket once. */
    private void drain() {
        drainScheduled.set(false); // before polling: a query added from now on schedules another drain
        boolean[] touched = new boolean[SOCKETS * 2];
        Outgoing o;
        while ((o = outgoing.poll()) != null) {
            o.channel().write(o.packet(), o.channel().voidPromise());
            touched[indexOf(o.channel())] = true;
        }
        for (int i = 0; i < SOCKETS; i++) {
            if (touched[i]) v4[i].flush();
            if (touched[SOCKETS + i]) v6[i].flush();
        }
    }

    private int indexOf(Channel ch) {
        for (int i = 0; i < SOCKETS; i++) {
            if (v4[i] == ch) return i;
            if (v6[i] == ch) return SOCKETS + i;
        }
        throw new IllegalStateException("not one of our sockets");
    }

    /** Fails the queries whose answer is overdue. */
    private void sweepLate() {
        long now = System.nanoTime();
        for (var e : pending.entrySet()) {
            Pending p = e.getValue();
            if (now - p.deadlineNanos() >= 0 && pending.remove(e.getKey(), p)) {
                timeouts.incrementAndGet();
                p.result().completeExceptionally(new TimeoutException("timeout"));
            }
        }
    }

    /**
     * An answer counts only if its ID is a waiting query's, it came to the socket that query left
     * from, from the address and port it went to, and carries the same question (name in any
     * case, type SOA, class IN). Anything else is ignored and the query keeps waiting.
     */
    private void answer(byte[] wire, InetSocketAddress from, Channel to) {
        if (wire.length < 12) return;
        int id = ((wire[0] & 0xff) << 8) | (wire[1] & 0xff);
        Pending p = pending.get(id);
        if (p == null || p.via() != to || !p.target().equals(from)) return; // not ours, or from elsewhere
        if (p.key() == null) {
            // p.target(), equal to from: the configured address the result then keeps is shared by
            // every zone, not a new one per answer waiting in the core's queue
            CheckResult fast = SoaAnswerFastPath.judge(p.zone(), p.zoneWire(), wire, p.target());
            if (fast != null) {
                if (pending.remove(id, p)) p.result().complete(new SoaReply(wire, null, fast));
                return;
            }
        }
        Message m = SoaQueryWire.parse(wire);
        if (m == null) return; // garbage with a matching ID: keep waiting for the real answer
        Record q = m.getQuestion();
        if (q == null ? !tsigError(p, m) : !q.getName().equals(p.zone()) || q.getType() != Type.SOA
                || q.getDClass() != DClass.IN) return;
        // Marks the answer verified or failed; SoaAnswer refuses a signed check's unverified answer.
        if (p.key() != null) p.key().verify(m, wire, p.querySignature());
        if (pending.remove(id, p)) p.result().complete(new SoaReply(wire, m, null));
    }

    /**
     * A signed query's TSIG error answer (BADSIG, BADKEY, BADTIME): servers such as NSD send it
     * without the question, and it says what is wrong better than a timeout would.
     */
    private static boolean tsigError(Pending p, Message m) {
        TSIGRecord t = m.getTSIG();
        return p.key() != null && t != null && t.getError() != Rcode.NOERROR;
    }

    long timeouts() {
        return timeouts.get();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
