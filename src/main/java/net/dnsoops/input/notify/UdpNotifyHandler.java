package net.dnsoops.input.notify;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One datagram in, at most one datagram out, to the sender's address and port. */
@ChannelHandler.Sharable
final class UdpNotifyHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger log = LoggerFactory.getLogger(UdpNotifyHandler.class);
    private final NotifyResponder responder;

    UdpNotifyHandler(NotifyResponder responder) {
        this.responder = responder;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf in = packet.content();
        byte[] wire = ByteBufUtil.getBytes(in);
        byte[] out = responder.respond(wire, packet.sender(), packet.recipient(), "udp");
        if (out == null) return;
        ByteBuf answer;
        if (out.length <= wire.length && in.isDirect()) {
            // Most answers (every plain NOTIFY's) are no longer than the request: write them over
            // the request in its own direct receive buffer, which saves the epoll transport an
            // allocation and a copy per datagram. The packet is released after this method, so retain.
            answer = in.retain().setBytes(in.readerIndex(), out).writerIndex(in.readerIndex() + out.length);
        } else {
            answer = ctx.alloc().directBuffer(out.length).writeBytes(out);
        }
        ctx.write(new DatagramPacket(answer, packet.sender()), ctx.voidPromise());
    }

    /** One flush per batch of datagrams read: with epoll the answers leave in one sendmmsg. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A UDP socket error (e.g. ICMP unreachable) concerns one peer; keep serving the rest.
        log.debug("udp listener: {}", cause.toString());
    }
}
