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
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
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
    private boolean refused;

    RequestGuard(Duration limit) {
        this.limit = limit;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        arm(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (refused) {
            ReferenceCountUtil.release(msg); // the rest of a request already answered
            return;
        }
        if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
            // A request line or headers Netty's codec could not take (too long, malformed): answered here, in our words and
            // without a log line. Passed on, Reactor Netty logs a warning for each one, so a loop of them fills the log
            // (issue #23 item 7).
            refused = true;
            ReferenceCountUtil.release(msg);
            disarm();
            refuse(ctx, o.decoderResult().cause());
            return;
        }
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

    private void refuse(ChannelHandlerContext ctx, Throwable cause) {
        Problem p;
        if (cause instanceof TooLongHttpLineException) {
            p = Problem.of(Problem.Type.URI_TOO_LONG, "the request line is longer than " + LocalHttpApi.MAX_INITIAL_LINE
                    + " bytes; send the machines in a POST body instead of the query");
        } else if (cause instanceof TooLongHttpHeaderException) {
            p = Problem.of(Problem.Type.HEADERS_TOO_LARGE, "the request headers are larger than " + LocalHttpApi.MAX_HEADERS + " bytes");
        } else {
            p = Problem.of(Problem.Type.INVALID_REQUEST, "the request line or headers are not valid HTTP/1.1 (e.g. a Content-Length"
                    + " that is not a number, or a header with a control character)");
        }
        ApiResponse a = Endpoint.problemFor(p);
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(a.status()),
                Unpooled.wrappedBuffer(body));
        a.headers().forEach((k, v) -> r.headers().set(k, v));
        r.headers().set("Content-Length", body.length).set("Connection", "close");
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
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
