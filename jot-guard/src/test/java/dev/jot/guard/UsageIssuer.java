package dev.jot.guard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jot.jwt.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An issuer's {@code POST /usage/batches} as the contract describes it, over real HTTP: bearer token required,
 * a batch id counted once (202, then 200 with {@code duplicate: true}); {@link #down} answers 503 instead.
 */
final class UsageIssuer implements AutoCloseable {

    static final String TOKEN = "usage.token.1";

    private final HttpServer server;
    /** Every batch id received, repeats included, in order. */
    final List<String> received = new CopyOnWriteArrayList<>();
    /** The batches stored, by id: each counted once. */
    final Map<String, Map<String, Object>> stored = new LinkedHashMap<>();
    volatile boolean down;
    /** Answer 202 but only after storing: then pretend the answer was lost (a timeout the guard sees as failure). */
    volatile boolean loseAnswers;
    /** The bearer token the endpoint accepts. */
    volatile String accepted = TOKEN;
    /** Token requests made at {@code /token} (client credentials: answers "usage.token.N"). */
    final java.util.concurrent.atomic.AtomicInteger tokensIssued = new java.util.concurrent.atomic.AtomicInteger();

    UsageIssuer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/usage/batches", this::handle);
        server.createContext("/token", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                answer(ex, 200, "{\"access_token\":\"usage.token." + tokensIssued.incrementAndGet()
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
            }
        });
        server.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (!"POST".equals(ex.getRequestMethod())) {
                answer(ex, 405, "{}");
                return;
            }
            if (!("Bearer " + accepted).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                answer(ex, 401, "{\"code\":\"token_invalid\"}");
                return;
            }
            if (down) {
                answer(ex, 503, "{\"code\":\"unavailable\"}");
                return;
            }
            Map<String, Object> batch = Json.parseObject(new String(body, StandardCharsets.UTF_8));
            String id = (String) batch.get("batch_id");
            received.add(id);
            boolean duplicate;
            synchronized (stored) {
                duplicate = stored.putIfAbsent(id, batch) != null;
            }
            if (loseAnswers) {
                answer(ex, 504, "{}"); // stored, yet the guard hears a failure: it must resend with the same id
                return;
            }
            answer(ex, duplicate ? 200 : 202, "{\"batch_id\":\"" + id + "\",\"duplicate\":" + duplicate + "}");
        }
    }

    private static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    /** Counts stored, summed per "sub route status" (or "rejected reason"), over every stored batch. */
    Map<String, Long> totals() {
        Map<String, Long> t = new LinkedHashMap<>();
        for (Map<String, Object> batch : batches()) {
            for (Object o : (List<?>) batch.get("counts")) {
                Map<?, ?> c = (Map<?, ?>) o;
                t.merge(c.get("sub") + " " + c.get("route") + " " + c.get("status"), (Long) c.get("count"), Long::sum);
            }
            for (Object o : (List<?>) batch.get("rejected")) {
                Map<?, ?> r = (Map<?, ?>) o;
                t.merge("rejected " + r.get("reason"), (Long) r.get("count"), Long::sum);
            }
        }
        return t;
    }

    long total() {
        return totals().values().stream().mapToLong(Long::longValue).sum();
    }

    List<Map<String, Object>> batches() {
        synchronized (stored) {
            return new ArrayList<>(stored.values());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
