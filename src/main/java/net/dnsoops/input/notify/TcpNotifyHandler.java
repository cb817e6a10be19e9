package net.dnsoops.input.notify;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import net.dnsoops.core.AddressText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DNS message per length-prefixed frame (RFC 1035 4.2.2), answered in order, so pipelined
 * NOTIFYs on one connection work. Junk closes the connection; idleness closes it too.
 */
final class TcpNotifyHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private static final Logger log = LoggerFactory.getLogger(TcpNotifyHandler.class);
    private final NotifyResponder responder;

    TcpNotifyHandler(NotifyResponder responder) {
        this.responder = responder;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        byte[] out = responder.respond(ByteBufUtil.getBytes(frame), peer,
                (InetSocketAddress) ctx.channel().localAddress(), "tcp");
        if (out == null) {
            ctx.close(); // not DNS: nothing sensible can follow on this stream
            return;
        }
        ctx.write(Unpooled.wrappedBuffer(out), ctx.voidPromise());
    }

    /** One flush per read: answers to pipelined NOTIFYs leave in one write instead of one each. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("tcp connection {}: {}", AddressText.of((InetSocketAddress) ctx.channel().remoteAddress()), cause.toString());
        ctx.close();
    }
}
