package dev.jot.examples.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.guard.ClientCredentials;
import dev.jot.guard.HttpUsageSink;
import dev.jot.guard.usage.UsageBatch;
import dev.jot.guard.usage.UsageMeter;
import dev.jot.guard.usage.UsageShipper;
import dev.jot.guard.usage.UsageSink;
import dev.jot.jwt.Json;
import dev.jot.server.usage.UsageService;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 11's proof, end to end: requests through the tutorial API (a real guard that meters and ships) are what Jot
 * (in this JVM, on H2 and PostgreSQL) shows in {@code /me/usage} and {@code /admin/usage}, exactly, per route,
 * status class and minute; through a retried batch and an outage of Jot. The API and Jot share one
 * {@link MutableClock}, which the tests move across a minute; counts leave the API only when a test calls
 * {@code shipNow()}.
 */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class UsageMeteringTest {
    private static final Logger LOG = LoggerFactory.getLogger(UsageMeteringTest.class);

    @Parameter
    String databaseKind;

    @TempDir
    Path dataDir;
    Jot jot;
    String admin;
    TutorialConfig.Feed.Client client;
    TutorialApi api;
    Http http;
    /** What the test sent that the guard meters: (subject, minute, route, status class) → requests. */
    final TreeMap<String, Long> expected = new TreeMap<>();
    /** Requests the guard refused (401: no valid token): counted per reason, in no one's usage. */
    long refusals;

    /** Who calls: a user's login or one of their API keys. */
    record Caller(String name, String token, String subject) {
    }

    @BeforeEach
    void start() {
        jot = new Jot(databaseKind, dataDir);
        // 20 s into the next minute (the clock only moves forward): whole minutes, that never straddle a UTC day
        // at this hour.
        jot.clock.set(Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(80));
        admin = jot.accessToken("root");
        client = UsageCalls.client(jot, admin, "tutorial-api");
        api = UsageCalls.api(jot, client);
        http = new Http(api.baseUrl());
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
        jot.close();
    }

    Caller login(String user) {
        String token = jot.accessToken(user);
        return new Caller(user, token, (String) UsageCalls.claim(token, "sub"));
    }

    Caller key(Caller owner, String name) {
        Map<String, Object> k = UsageCalls.apiKey(jot, owner.token(), name);
        String token = UsageCalls.keyToken(jot, (String) k.get("key"));
        assertThat(UsageCalls.claim(token, "client_id")).isEqualTo(k.get("id"));
        return new Caller(owner.name() + "/" + name, token, owner.subject());
    }

    long minute() {
        return Math.floorDiv(jot.clock.millis(), 60_000) * 60;
    }

    /** Sends {@code times} GETs of {@code path} as {@code caller} (null: no token), each answered {@code status}. */
    void send(TutorialApi to, Caller caller, String path, int times, int status) {
        Http h = new Http(to.baseUrl());
        for (int i = 0; i < times; i++) {
            HttpResponse<String> r = h.getAs(caller == null ? null : caller.token(), path);
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(status);
        }
        if (status == 401) {
            // Without a valid token there is no one to count against: a refusal by its reason (token_missing,
            // token_invalid). A 403 is a valid token's request, in its subject's usage as a 4xx.
            refusals += times;
        } else {
            String route = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            expected.merge(key(caller.subject(), minute(), route, UsageMeter.statusClass(status)), (long) times, Long::sum);
        }
    }

    static String key(String subject, long minute, String route, String status) {
        return subject + " " + Instant.ofEpochSecond(minute) + " " + route + " " + status;
    }

    /** One minute of traffic: every caller on several routes, 2xx and 4xx; {@code k} varies the numbers. */
    void traffic(TutorialApi to, List<Caller> callers, int k) {
        Caller ada = callers.get(0);
        Caller bob = callers.get(1);
        Caller root = callers.get(2);
        Caller adaKey = callers.get(3);
        Caller bobKey = callers.get(4);
        send(to, ada, "/private", 3 + k, 200);
        send(to, ada, "/root?number=27&n=3", 2, 200);
        send(to, ada, "/admin", 1 + k, 403);
        send(to, ada, "/root?number=abc&n=2", 1, 400);
        send(to, bob, "/private", 2, 200);
        send(to, bob, "/secret", 2 + k, 403);
        send(to, root, "/admin", 2, 200);
        send(to, root, "/secret", 1 + k, 200);
        send(to, root, "/private", 1, 200);
        send(to, adaKey, "/private", 4 + k, 200);
        send(to, adaKey, "/root?number=16&n=4", 1, 200);
        send(to, bobKey, "/private", 2, 200);
        send(to, bobKey, "/admin", 1 + k, 403);
        send(to, null, "/private", 2, 401);
        send(to, new Caller("forger", Jot.forged(ada.token()), null), "/private", 1, 401);
    }

    List<Caller> callers() {
        jot.register("bob");
        Caller ada = login("ada");
        Caller bob = login("bob");
        Caller root = login("root");
        return List.of(ada, bob, root, key(ada, "ada-ci"), key(bob, "bob-ci"));
    }

    /** What {@code answer} shows of the tutorial API's routes, as {@link #expected}'s keys, for {@code subject}. */
    /** The tutorial API's route templates (TutorialApi.routes). */
    static final java.util.Set<String> TUTORIAL_ROUTES = java.util.Set.of("/private", "/secret", "/admin", "/root");

    static Map<String, Long> seen(String subject, Map<String, Object> answer) {
        TreeMap<String, Long> out = new TreeMap<>();
        for (UsageCalls.Point p : UsageCalls.points(answer)) {
            if (!TUTORIAL_ROUTES.contains(p.route())) {
                // Jot meters its own routes too (this test's /me/usage and /admin/usage reads, shipped by its job
                // every 10 s of real time): not the tutorial API's usage. A tutorial route counted under any other
                // name would still be missing from what is expected.
                continue;
            }
            out.merge(key(subject, p.start().getEpochSecond(), p.route(), p.status()), p.requests(), Long::sum);
        }
        return out;
    }

    Map<String, Long> expectedOf(String subject) {
        TreeMap<String, Long> out = new TreeMap<>();
        expected.forEach((k, v) -> {
            if (k.startsWith(subject + " ")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Expected counts with the subject left out: what a read of everyone grouped by route shows. */
    Map<String, Long> expectedOfEveryone() {
        TreeMap<String, Long> out = new TreeMap<>();
        expected.forEach((k, v) -> out.merge("* " + k.substring(k.indexOf(' ') + 1), v, Long::sum));
        return out;
    }

    static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void requestsOfThreeUsersAndTwoKeysOverTwoMinutesAreShownExactlyPerRouteStatusAndMinute() {
        List<Caller> callers = callers();
        long first = minute();
        traffic(api, callers, 0);
        jot.clock.set(jot.clock.instant().plusSeconds(60)); // the next minute, for the API and for Jot
        traffic(api, callers, 1);
        assertThat(minute()).isEqualTo(first + 60);

        assertThat(api.usageShipper().orElseThrow().shipNow()).isTrue();

        long n = sum(expected);
        assertThat(n).as("requests the guard meters (401s are no one's)").isEqualTo(23 + 29);
        for (Caller user : callers.subList(0, 3)) {
            Map<String, Object> mine = UsageCalls.read(jot, user.token(), "/me/usage?granularity=minute&group_by=route");
            assertThat(seen(user.subject(), mine)).as(user.name()).isEqualTo(expectedOf(user.subject()));
            Map<String, Object> theirs = UsageCalls.read(jot, admin,
                    "/admin/usage?subject=" + user.subject() + "&granularity=minute&group_by=route");
            assertThat(seen(user.subject(), theirs)).as("admin's view of " + user.name())
                    .isEqualTo(expectedOf(user.subject()));
        }
        Map<String, Object> everyone = UsageCalls.read(jot, admin, "/admin/usage?granularity=minute&group_by=route");
        assertThat(seen("*", everyone)).isEqualTo(expectedOfEveryone());
        assertThat(sum(seen("*", everyone))).isEqualTo(n);
        // Per minute, and per status class, across the routes:
        for (long m : List.of(first, first + 60)) {
            long inMinute = UsageCalls.points(everyone).stream().filter(p -> TUTORIAL_ROUTES.contains(p.route()))
                    .filter(p -> p.start().getEpochSecond() == m)
                    .mapToLong(UsageCalls.Point::requests).sum();
            String at = Instant.ofEpochSecond(m).toString();
            assertThat(inMinute).as(at).isEqualTo(expected.entrySet().stream().filter(e -> e.getKey().contains(" " + at + " "))
                    .mapToLong(Map.Entry::getValue).sum());
        }
        assertThat(UsageCalls.points(everyone).stream().filter(p -> TUTORIAL_ROUTES.contains(p.route()))
                .map(UsageCalls.Point::status).distinct().sorted().toList())
                .containsExactly("2xx", "4xx");
        // An API key's requests, by client:
        String adaKeyClient = (String) UsageCalls.claim(callers.get(3).token(), "client_id");
        Map<String, Object> byKey = UsageCalls.read(jot, admin, "/admin/usage?client_id=" + adaKeyClient);
        assertThat(((Number) byKey.get("total")).longValue()).isEqualTo(2 * (4 + 1) + 1);
        LOG.info("[{}] {} metered requests over two minutes read back exactly", databaseKind, n);
    }

    @Test
    void aBatchTheServerStoredButWhoseAnswerWasLostIsCountedOnceWhenItIsSentAgain() throws Exception {
        Caller ada = login("ada");
        try (ClientCredentials machine = ClientCredentials.forIssuer(jot.issuer(), client.id(), client.secret())
                .scope("jot:usage").build();
             HttpUsageSink real = HttpUsageSink.forIssuer(jot.issuer(), machine)) {
            AtomicInteger sends = new AtomicInteger();
            List<String> ids = new ArrayList<>();
            UsageSink answerLost = batch -> {
                ids.add(batch.id());
                real.ship(batch); // Jot answers 202 (then 200, duplicate) ...
                if (sends.incrementAndGet() == 1) {
                    throw new IOException("timed out waiting for the answer"); // ... which the first time never arrives
                }
            };
            UsageMeter meter = new UsageMeter(jot.clock);
            for (int i = 0; i < 7; i++) {
                meter.count(ada.subject(), null, jot.issuer(), "/private", 200);
            }
            UsageShipper shipper = UsageShipper.builder(meter, answerLost).clock(jot.clock).build();

            assertThat(shipper.shipNow()).isFalse();
            assertThat(shipper.pendingCount()).isEqualTo(7);
            assertThat(shipper.shipNow()).isTrue();

            assertThat(ids).hasSize(2).containsOnly(ids.getFirst());
            Map<String, Object> mine = UsageCalls.read(jot, ada.token(), "/me/usage?granularity=minute&group_by=route");
            assertThat(UsageCalls.points(mine)).containsExactly(new UsageCalls.Point(
                    Instant.ofEpochSecond(minute()), "/private", "2xx", 7));
        }
    }

    @Test
    void countsMadeWhileJotIsDownForThirtySecondsAreCompleteOnceItIsBack() {
        List<Caller> callers = callers();
        jot.clock.set(jot.clock.instant().plusSeconds(20)); // 40 s into the minute: the outage spans two minutes
        traffic(api, callers, 0);
        UsageShipper shipper = api.usageShipper().orElseThrow();
        assertThat(shipper.shipNow()).isTrue();

        jot.stop();
        traffic(api, callers, 1); // the guard serves tokens with the keys it holds
        jot.clock.set(jot.clock.instant().plusSeconds(30));
        traffic(api, callers, 2);
        long during = sum(expected) - 23;
        long refusedDuring = refusals - 3;
        assertThat(shipper.shipNow()).as("Jot is down").isFalse();
        assertThat(shipper.pendingCount()).as("waiting, with the refusals").isEqualTo(during + refusedDuring);
        assertThat(shipper.failures()).isPositive();

        jot.startAgain();
        // The first attempt may meet a connection the stopped server closed: the shipper sends the batch again.
        Latency.until(Latency.PATIENCE, shipper::shipNow);
        assertThat(shipper.pendingCount()).isZero();

        for (Caller user : callers.subList(0, 3)) {
            Map<String, Object> theirs = UsageCalls.read(jot, admin,
                    "/admin/usage?subject=" + user.subject() + "&granularity=minute&group_by=route");
            assertThat(seen(user.subject(), theirs)).as(user.name()).isEqualTo(expectedOf(user.subject()));
        }
        Map<String, Object> everyone = UsageCalls.read(jot, admin, "/admin/usage?granularity=minute&group_by=route");
        assertThat(seen("*", everyone)).isEqualTo(expectedOfEveryone());
        assertThat(seen("*", everyone).keySet().stream().map(k -> k.split(" ")[1]).distinct()).hasSize(2);
        LOG.info("[{}] {} requests metered while Jot was down, all stored after it came back", databaseKind, during);
    }

    @Test
    void aDailyQuotaOfOneHundredUsedUpOverTwoInstancesRefusesTheNextRequestOnTheSecond() {
        jot.register("carol");
        String carol = (String) UsageCalls.claim(jot.accessToken("carol"), "sub");
        HttpResponse<String> set = UsageCalls.put(jot, admin, "/admin/users/" + carol + "/quota", Map.of("day", 100));
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        String token = jot.accessToken("carol"); // limits are set when a token is signed
        assertThat(((Map<?, ?>) UsageCalls.claim(token, "jot_limits")).get("day")).isEqualTo(100L);
        Caller c = new Caller("carol", token, carol);

        try (TutorialApi b = UsageCalls.api(jot, client)) {
            TutorialApi a = api;
            for (int i = 0; i < 50; i++) {
                for (TutorialApi to : List.of(a, b)) {
                    HttpResponse<String> r = new Http(to.baseUrl()).getAs(token, "/private");
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(UsageCalls.rateLimitField(r.headers().firstValue("RateLimit-Policy").orElseThrow()))
                            .containsExactly(new UsageCalls.Member("day", Map.of("q", 100L, "w", 86_400L)));
                }
            }
            assertThat(a.usageShipper().orElseThrow().shipNow()).isTrue();
            assertThat(b.usageShipper().orElseThrow().shipNow()).isTrue();
            long shipped = System.nanoTime();
            // Jot applies batches every 5 s (usage-apply) and then announces the quota on the feed: no request is
            // sent meanwhile, so that the one after is the 101st.
            long ms = Latency.until(Latency.PATIENCE, () -> !b.feed().orElseThrow().quotas().isEmpty());
            HttpResponse<String> refused = new Http(b.baseUrl()).getAs(token, "/private");
            long firstRefusalMs = (System.nanoTime() - shipped) / 1_000_000;
            Duration bound = UsageService.APPLY_EVERY.plusSeconds(5);
            LOG.info("[{}] quota event on instance B {} ms after the last shipment, first refusal at {} ms (bound {} ms:"
                    + " apply every {} s + 5 s)", databaseKind, ms, firstRefusalMs, bound.toMillis(),
                    UsageService.APPLY_EVERY.toSeconds());
            assertThat(firstRefusalMs).isLessThan(bound.toMillis());

            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
            Map<String, Object> problem = Json.parseObject(refused.body());
            assertThat(problem).containsEntry("code", "quota_exceeded").containsEntry("status", 429L);
            assertThat(problem.get("policy")).isEqualTo("day");
            long untilMidnight = Duration.between(jot.clock.instant(),
                    jot.clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1))).toSeconds();
            long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).as("seconds until the next UTC day, a delay and not an instant")
                    .isBetween(untilMidnight - 2, untilMidnight + 2);
            assertThat(UsageCalls.rateLimitField(refused.headers().firstValue("RateLimit-Policy").orElseThrow()))
                    .containsExactly(new UsageCalls.Member("day", Map.of("q", 100L, "w", 86_400L)));
            assertThat(UsageCalls.rateLimitField(refused.headers().firstValue("RateLimit").orElseThrow()))
                    .containsExactly(new UsageCalls.Member("day", Map.of("r", 0L, "t", retryAfter)));
            assertThat(new Http(a.baseUrl()).getAs(token, "/private").statusCode()).as("instance A too").isEqualTo(429);
            assertThat(new Http(b.baseUrl()).getAs(jot.accessToken("ada"), "/private").statusCode())
                    .as("another user").isEqualTo(200);
        }
        assertThat(c.subject()).isEqualTo(carol);
    }
}
