package net.dnsoops.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import net.dnsoops.config.ConfigValues;
import net.dnsoops.core.ZoneQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * The operations HTTP server (config "http"): GET /status, /metrics, /health (/health/live,
 * /health/ready), the status page at /, and authenticated POST /control/{reload,refresh-zone,
 * drain,undrain}. Requests are handled off the event loop on one worker thread, because status
 * reads wait for the core thread.
 */
public final class OpsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int MAX_BODY = 64 * 1024;

    private final HttpConfig config;
    private final OpsSources sources;
    private final Control control;
    private final OpsMetrics metrics;
    private final byte[] token;
    private final List<Channel> channels = new ArrayList<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dns-oops-http");
        t.setDaemon(true);
        return t;
    });
    private EventLoopGroup group;

    public OpsServer(HttpConfig config, OpsSources sources, Control control, OpsMetrics metrics) {
        this.config = config;
        this.sources = sources;
        this.control = control;
        this.metrics = metrics;
        this.token = config.resolveToken().getBytes(StandardCharsets.UTF_8);
    }

    public void start() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            for (InetSocketAddress a : config.listen) {
                Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(new ReadTimeoutHandler(30), new HttpServerCodec(),
                                        new HttpObjectAggregator(MAX_BODY), new Handler());
                            }
                        }).bind(a).sync().channel();
                channels.add(ch);
                log.info("http: listening on {}", ConfigValues.format((InetSocketAddress) ch.localAddress()));
            }
        } catch (Exception e) {
            close();
            throw new IllegalStateException("http: cannot listen: " + e.getMessage(), e);
        }
    }

    public List<InetSocketAddress> boundAddresses() {
        return channels.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
    }

    @Override
    public void close() {
        for (Channel c : channels) c.close().awaitUninterruptibly();
        channels.clear();
        worker.shutdownNow();
        if (group != null) group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** A response before it is put on the wire. */
    record Reply(HttpResponseStatus status, String contentType, byte[] body) {
        static Reply json(HttpResponseStatus status, Object body) {
            try {
                return new Reply(status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Reply error(HttpResponseStatus status, String message) {
            return json(status, Map.of("error", message));
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            Request r = new Request(req.method(), new QueryStringDecoder(req.uri()),
                    req.headers().get(HttpHeaderNames.AUTHORIZATION), req.headers().get(HttpHeaderNames.ORIGIN),
                    req.content().toString(StandardCharsets.UTF_8),
                    (InetSocketAddress) ctx.channel().remoteAddress());
            try {
                worker.execute(() -> send(ctx, handle(r), keepAlive));
            } catch (RejectedExecutionException e) {
                send(ctx, Reply.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "shutting down"), false);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private record Request(HttpMethod method, QueryStringDecoder uri, String authorization, String origin, String body,
                           InetSocketAddress remote) {
        String param(String name) {
            List<String> v = uri.parameters().get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    private static void send(ChannelHandlerContext ctx, Reply reply, boolean keepAlive) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(),
                Unpooled.wrappedBuffer(reply.body()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        res.headers().set("X-Content-Type-Options", "nosniff");
        res.headers().set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
        HttpUtil.setContentLength(res, reply.body().length);
        HttpUtil.setKeepAlive(res, keepAlive);
        var f = ctx.writeAndFlush(res);
        if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
    }

    Reply handle(Request r) {
        String path = r.uri().path();
        try {
            if (r.method().equals(HttpMethod.GET) || r.method().equals(HttpMethod.HEAD)) {
                // The page's own files hold no data: served without a token, so the page can ask for one.
                switch (path) {
                    case "/", "/index.html":
                        return page("index.html", "text/html; charset=utf-8");
                    case "/status.js":
                        return page("status.js", "text/javascript; charset=utf-8");
                    case "/status.css":
                        return page("status.css", "text/css; charset=utf-8");
                    case "/favicon.ico":
                        return new Reply(HttpResponseStatus.NO_CONTENT, "image/x-icon", new byte[0]);
                    default:
                        break;
                }
                if (config.protectReads && !authorized(r, false)) {
                    return Reply.error(HttpResponseStatus.UNAUTHORIZED, "this server needs a bearer token for every request");
                }
                return switch (path) {
                    case "/status" -> status(r);
                    case "/metrics" -> new Reply(HttpResponseStatus.OK, OpsMetrics.contentType(), metrics.scrape());
                    case "/health", "/health/ready" -> {
                        Map<String, Object> h = StatusReport.health(sources);
                        yield Reply.json(Boolean.TRUE.equals(h.get("ready")) ? HttpResponseStatus.OK
                                : HttpResponseStatus.SERVICE_UNAVAILABLE, h);
                    }
                    case "/health/live" -> {
                        Map<String, Object> h = StatusReport.health(sources);
                        yield Reply.json(Boolean.TRUE.equals(h.get("live")) ? HttpResponseStatus.OK
                                : HttpResponseStatus.SERVICE_UNAVAILABLE, h);
                    }
                    case "/health/services" -> {
                        Map<String, Object> h = StatusReport.services(sources, null);
                        yield Reply.json(Boolean.TRUE.equals(h.get("ready")) ? HttpResponseStatus.OK
                                : HttpResponseStatus.SERVICE_UNAVAILABLE, h);
                    }
                    default -> {
                        if (path.startsWith("/health/services/")) {
                            String name = path.substring("/health/services/".length()); // the path is decoded already
                            Map<String, Object> h = StatusReport.services(sources, name);
                            if (h == null) yield Reply.error(HttpResponseStatus.NOT_FOUND, "no service \"" + name + "\"");
                            yield Reply.json(Boolean.TRUE.equals(h.get("ready")) ? HttpResponseStatus.OK
                                    : HttpResponseStatus.SERVICE_UNAVAILABLE, h);
                        }
                        yield Reply.error(HttpResponseStatus.NOT_FOUND, "no such resource: " + path);
                    }
                };
            }
            if (r.method().equals(HttpMethod.POST) && path.startsWith("/control/")) {
                return control(r, path.substring("/control/".length()));
            }
            return Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, r.method() + " " + path + " is not supported");
        } catch (RuntimeException e) {
            log.warn("http: {} {} failed: {}", r.method(), path, e.toString());
            return Reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.toString());
        }
    }

    private Reply status(Request r) {
        ZoneQuery q;
        try {
            q = StatusReport.query(r.uri().parameters());
        } catch (IllegalArgumentException e) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        return Reply.json(HttpResponseStatus.OK, StatusReport.status(sources, q));
    }

    private Reply control(Request r, String action) {
        String who = r.remote() == null ? "?" : net.dnsoops.core.AddressText.of(r.remote().getAddress());
        if (r.origin() != null) {
            // A browser page (any site) posting to a loopback daemon: never allowed (CSRF).
            log.warn("http: control {} from {} refused (403): sent by a web page (Origin {})", action, who, r.origin());
            return Reply.error(HttpResponseStatus.FORBIDDEN, "control requests from web pages are not accepted");
        }
        if (!authorized(r, true)) {
            log.warn("http: control {} from {} refused (401): {}", action, who,
                    r.authorization() == null ? "no bearer token" : "wrong bearer token");
            return Reply.error(HttpResponseStatus.UNAUTHORIZED,
                    "control needs \"Authorization: Bearer TOKEN\" (http.token or http.token-file)");
        }
        log.info("http: control {} from {}", action, who);
        Reply reply;
        try {
            reply = switch (action) {
                case "reload" -> reload();
                case "refresh-zone" -> refresh(r);
                case "drain" -> Reply.json(HttpResponseStatus.OK, Map.of("result", control.drain()));
                case "undrain" -> Reply.json(HttpResponseStatus.OK, Map.of("result", control.undrain()));
                default -> Reply.error(HttpResponseStatus.NOT_FOUND, "no such control action: " + action);
            };
        } catch (UnsupportedOperationException e) {
            reply = Reply.error(HttpResponseStatus.NOT_IMPLEMENTED, e.getMessage());
        } catch (IllegalStateException e) {
            reply = Reply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, action + " failed: " + e.getMessage());
        }
        if (reply.status().code() >= 400) {
            log.warn("http: control {} from {} failed ({}): {}", action, who, reply.status().code(),
                    new String(reply.body(), StandardCharsets.UTF_8).replaceAll("\\s+", " "));
        }
        return reply;
    }

    private Reply reload() {
        try {
            control.reload();
            return Reply.json(HttpResponseStatus.OK, Map.of("result", "reloaded"));
        } catch (IllegalArgumentException e) {
            return Reply.error(HttpResponseStatus.UNPROCESSABLE_ENTITY,
                    "the config file was rejected; running config kept: " + e.getMessage());
        }
    }

    private Reply refresh(Request r) {
        String zone = r.param("zone");
        if (zone == null && !r.body().isBlank()) {
            try {
                var node = JSON.readTree(r.body());
                if (node.hasNonNull("zone")) zone = node.get("zone").asText();
            } catch (IOException e) {
                return Reply.error(HttpResponseStatus.BAD_REQUEST, "body is not JSON");
            }
        }
        if (zone == null) return Reply.error(HttpResponseStatus.BAD_REQUEST, "name the zone: ?zone=NAME or {\"zone\": NAME}");
        Name name;
        try {
            name = ConfigValues.zoneName(zone);
        } catch (IllegalArgumentException e) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        if (!control.refreshZone(name)) {
            return Reply.error(HttpResponseStatus.NOT_FOUND, "zone " + name + " is not configured");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("result", "check started");
        m.put("zone", name.toString());
        return Reply.json(HttpResponseStatus.ACCEPTED, m);
    }

    private boolean authorized(Request r, boolean mayUseLoopback) {
        if (mayUseLoopback && config.allowUnauthenticatedLoopback && r.remote() != null
                && r.remote().getAddress().isLoopbackAddress()) {
            return true;
        }
        if (token.length == 0 || r.authorization() == null) return false;
        String a = r.authorization().strip();
        if (!a.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        byte[] given = a.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    private Reply page(String file, String type) {
        if (!config.statusPage) return Reply.error(HttpResponseStatus.NOT_FOUND, "the status page is off (http.status-page)");
        try (InputStream in = OpsServer.class.getResourceAsStream("/net/dnsoops/ops/web/" + file)) {
            if (in == null) return Reply.error(HttpResponseStatus.NOT_FOUND, file + " is missing from the jar");
            return new Reply(HttpResponseStatus.OK, type, in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
