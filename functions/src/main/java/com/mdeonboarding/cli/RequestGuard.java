package com.mdeonboarding.cli;

import com.mdeonboarding.api.ApiResponse;
import com.mdeonboarding.api.Endpoint;
import com.mdeonboarding.api.Problem;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Per connection, right after Netty's HTTP codec: a request (line, headers and body) must arrive within a time limit
 * from when the connection could send it, however slowly it trickles in (a read timeout alone lets one byte every few
 * seconds hold a connection forever); past it the client gets 408 and the connection is closed. It also gives every
 * answer that has none an {@code X-Correlation-Id}, including those Netty writes itself (a bad chunk size, an
 * oversized header), so that every answer carries one.
 */
final class RequestGuard extends ChannelDuplexHandler {
    private final Duration limit;
    private ScheduledFuture<?> timer;
    private boolean reading;

    RequestGuard(Duration limit) {
        this.limit = limit;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        arm(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        reading = true;
        if (msg instanceof LastHttpContent) {
            reading = false;
            disarm(); // the whole request is here: handling it takes what it takes
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse r && !r.headers().contains(Endpoint.CORRELATION_HEADER)) {
            r.headers().set(Endpoint.CORRELATION_HEADER, UUID.randomUUID().toString());
        }
        if (msg instanceof LastHttpContent) {
            // The answer is out: the next request on this connection gets the same time to arrive.
            promise.addListener(f -> arm(ctx));
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        timer = ctx.executor().schedule(() -> timeout(ctx), limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void timeout(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (!reading) {
            ctx.close(); // an idle keep-alive connection: nothing to answer
            return;
        }
        ApiResponse p = Endpoint.problemFor(Problem.of(Problem.Type.REQUEST_TIMEOUT, "the request did not arrive within "
                + limit.toSeconds() + " s (a partial header or a body shorter than its Content-Length)"));
        byte[] body = p.body().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
                Unpooled.wrappedBuffer(body));
        p.headers().forEach((k, v) -> r.headers().set(k, v));
        r.headers().set("Content-Length", body.length).set("Connection", "close");
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
}
