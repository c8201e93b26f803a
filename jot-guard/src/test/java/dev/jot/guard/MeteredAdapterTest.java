package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.guard.usage.UsageCount;
import dev.jot.guard.usage.UsageMeter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What each adapter does for a guard with metering and rate limits, over real HTTP: requests are counted under the
 * route template with their status class, refusals by reason; answers carry the RateLimit fields; past the limit,
 * 429. The application has {@code /orders/{id}} (answers 200, or 404 for id 0) and a public {@code /health}.
 */
abstract class MeteredAdapterTest {

    final Tokens tokens = new Tokens();
    final UsageMeter meter = new UsageMeter(tokens.clock);
    final Guard guard = tokens.guard().metering(meter).rateLimits(RateLimits.fromTokens()).build();
    String base;

    /** Starts the application behind the adapter; returns its base URL. */
    abstract String start(Guard guard) throws Exception;

    abstract void stop() throws Exception;

    /** The route template the adapter reports for {@code /orders/<id>}. */
    abstract String ordersRoute();

    @BeforeEach
    void startServer() throws Exception {
        base = start(guard);
    }

    @AfterEach
    void stopServer() throws Exception {
        stop();
    }

    String token(String sub, long perMinute) {
        return tokens.sign(Tokens.TRUSTED, c -> c.subject(sub).audience("orders-api").claim("client_id", "web")
                .claim("jot_limits", Map.of("minute", perMinute, "day", 100_000L)));
    }

    private final Map<String, Long> seen = new HashMap<>();

    /**
     * What the meter counted, as "sub route status" or "rejected reason" → count, once it adds up to
     * {@code expected} requests: a servlet container may send the answer before the filter's count returns.
     */
    Map<String, Long> counted(long expected) throws InterruptedException {
        Polling.until(() -> {
            cut(seen);
            return seen.values().stream().mapToLong(Long::longValue).sum() >= expected;
        });
        return seen;
    }

    private void cut(Map<String, Long> m) {
        UsageMeter.Cut cut = meter.cut();
        for (UsageCount c : cut.counts()) {
            m.merge(c.key().subject() + " " + c.key().route() + " " + c.key().status(), c.count(), Long::sum);
            assertThat(c.key().clientId()).isEqualTo("web");
            assertThat(c.key().audience()).isEqualTo("orders-api");
        }
        cut.rejected().forEach(r -> m.merge("rejected " + r.reason(), r.count(), Long::sum));
    }

    @Test
    void requestsAreCountedUnderTheRouteTemplateNotTheRawPath() throws Exception {
        String ada = token("ada", 600);
        for (String id : new String[] {"1", "2", "3", "0"}) {
            Http.get(base + "/orders/" + id, "Authorization", Http.bearer(ada));
        }
        Http.get(base + "/orders/4");
        Http.get(base + "/health");
        assertThat(counted(5)).containsOnly(Map.entry("ada " + ordersRoute() + " 2xx", 3L),
                Map.entry("ada " + ordersRoute() + " 4xx", 1L), Map.entry("rejected token_missing", 1L));
    }

    @Test
    void everyAnswerCarriesTheRateLimitFieldsAndPastTheLimitItIs429() throws Exception {
        String bob = token("bob", 2);
        Http.Reply ok = Http.get(base + "/orders/1", "Authorization", Http.bearer(bob));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(RateLimitFields.policies(ok.header("RateLimit-Policy"))).extracting(RateLimitFields.Member::name)
                .containsExactly("minute", "day");
        assertThat(RateLimitFields.limit(ok.header("RateLimit")).params()).containsEntry("r", 1L);
        assertThat(Http.get(base + "/orders/2", "Authorization", Http.bearer(bob)).status()).isEqualTo(200);

        Http.Reply refused = Http.get(base + "/orders/3", "Authorization", Http.bearer(bob));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).startsWith(ProblemDocument.CONTENT_TYPE);
        assertThat(refused.header("WWW-Authenticate")).isNull();
        assertThat(refused.json()).containsEntry("code", "quota_exceeded").containsEntry("policy", "minute")
                .containsEntry("status", 429L);
        long t = RateLimitFields.limit(refused.header("RateLimit")).params().get("t");
        assertThat(RateLimitFields.limit(refused.header("RateLimit")).params()).containsEntry("r", 0L);
        assertThat(refused.header("Retry-After")).isEqualTo(Long.toString(t));
        assertThat(t).isBetween(1L, 60L);
        assertThat(RateLimitFields.policies(refused.header("RateLimit-Policy"))).hasSize(2);
        assertThat(counted(3)).as("a refused request is counted as refused, not as usage")
                .containsOnly(Map.entry("bob " + ordersRoute() + " 2xx", 2L), Map.entry("rejected quota_exceeded", 1L));
    }
}
