package dev.jot.server.http;

import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.metrics.Metrics;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The operator's routes: {@code GET /metrics} (Prometheus text format) and {@code GET /ready} (whether this
 * instance should get traffic). {@code /health} (alive) is in {@link MetaRoutes}.
 */
public final class OpsRoutes implements RouteTable {
    /** Prometheus' text exposition format, version 0.0.4. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /** Who may read {@code /metrics}. */
    public enum Access {
        ALLOWED,
        /** A token is configured and none was sent: 401 {@code token_missing}. */
        TOKEN_MISSING,
        /** A token is configured and another was sent: 401 {@code token_invalid}. */
        TOKEN_INVALID,
        /** No token is configured and the client is not on this host: 404, as if there were no such route. */
        NOT_LOOPBACK
    }

    private final Metrics metrics;
    private final byte[] tokenDigest;
    private final Map<String, BooleanSupplier> readiness;

    /**
     * @param metricsToken the bearer token scrapers must send, or null: loopback clients only
     * @param readiness    the checks of {@code /ready}, by name, in the order they are run and shown
     */
    public OpsRoutes(Metrics metrics, String metricsToken, Map<String, BooleanSupplier> readiness) {
        this.metrics = metrics;
        this.tokenDigest = metricsToken == null ? null : sha256(metricsToken);
        this.readiness = new LinkedHashMap<>(readiness);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get("/metrics", this::metrics);
        routes.get("/ready", this::ready);
    }

    private void metrics(Context ctx) {
        switch (decide(tokenDigest, ctx.header("Authorization"), ClientOrigin.peerOf(ctx), ClientOrigin.addressOf(ctx))) {
            case ALLOWED -> {
                ctx.header("Cache-Control", "no-store");
                ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape().getBytes(StandardCharsets.UTF_8));
            }
            case TOKEN_MISSING -> throw new ServerException(ServerError.TOKEN_MISSING, "GET /metrics needs the metrics token");
            case TOKEN_INVALID -> throw new ServerException(ServerError.TOKEN_INVALID, "not the metrics token");
            case NOT_LOOPBACK -> throw new ServerException(ServerError.NOT_FOUND, "no such resource");
        }
    }

    /**
     * Who may read the metrics. With a token configured, whoever sends it (compared in constant time), from
     * anywhere. Without one, clients on this host only: the TCP peer must be a loopback address (no header can
     * make it one), and so must the client a trusted proxy names (a proxy on this host forwards other hosts'
     * requests: those are refused too).
     *
     * @param tokenDigest   SHA-256 of the configured token, or null
     * @param authorization the {@code Authorization} header, or null
     * @param peer          the TCP peer's address
     * @param client        the client's address as {@link ClientOrigin} decided it
     */
    public static Access decide(byte[] tokenDigest, String authorization, String peer, String client) {
        if (tokenDigest != null) {
            if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Access.TOKEN_MISSING;
            }
            byte[] sent = sha256(authorization.substring(7).strip());
            return MessageDigest.isEqual(tokenDigest, sent) ? Access.ALLOWED : Access.TOKEN_INVALID;
        }
        return ClientOrigin.isLoopback(peer) && ClientOrigin.isLoopback(client) ? Access.ALLOWED : Access.NOT_LOOPBACK;
    }

    /** 200 {@code {"status":"ready","checks":{...}}}, or 503 {@code "not_ready"} naming the failing checks. */
    private void ready(Context ctx) {
        Map<String, String> checks = new LinkedHashMap<>();
        List<String> failing = new ArrayList<>();
        readiness.forEach((name, check) -> {
            boolean ok;
            try {
                ok = check.getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            checks.put(name, ok ? "ok" : "failing");
            if (!ok) {
                failing.add(name);
            }
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", failing.isEmpty() ? "ready" : "not_ready");
        body.put("checks", checks);
        if (!failing.isEmpty()) {
            body.put("failing", failing);
        }
        ctx.header("Cache-Control", "no-store");
        Responses.json(ctx, failing.isEmpty() ? 200 : 503, body);
    }

    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
