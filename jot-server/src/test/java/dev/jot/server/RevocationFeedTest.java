package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import dev.jot.server.SseStream.Event;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /revocations}: the Server-Sent Events feed of denials for resource servers, on H2 and PostgreSQL. */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class RevocationFeedTest {
    static final String PASSWORD = "correct horse battery";
    /** A loaded 2-core machine's margin for an event to arrive; they come in milliseconds. */
    static final Duration SOON = Duration.ofSeconds(10);

    @Parameter
    String databaseKind;

    @TempDir
    Path dataDir;
    TestDatabase database;
    MutableClock clock;
    JotServer server;
    Http http;
    String admin;

    @BeforeEach
    void start() {
        database = TestDatabase.create(databaseKind);
        clock = MutableClock.startingNow();
        server = JotServer.start(database.applyTo(TestConfigs.base(dataDir)).build(), clock);
        http = new Http(server.baseUrl());
        register("root");
        server.services().accounts().grantRole("root", "admin");
        admin = (String) login("root").get("access_token");
    }

    @AfterEach
    void stop() {
        Http.disconnect(server.baseUrl());

        server.close();
        database.close();
    }

    @Test
    void aSubscriberGetsTheLiveDenialsThenEachNewOneAsItIsCommitted() {
        register("bob");
        Map<String, Object> bob = login("bob");
        logout(bob);

        try (SseStream feed = subscribe()) {
            assertThat(feed.status).isEqualTo(200);
            assertThat(feed.contentType).startsWith("text/event-stream");
            List<Event> snapshot = feed.until("ready", SOON);
            assertThat(snapshot.getFirst().type()).isEqualTo("reset");
            assertThat(denials(snapshot)).containsExactlyInAnyOrder("sid " + sid(bob), "jti " + jti(bob));

            register("carol");
            Map<String, Object> carol = login("carol");
            logout(carol);
            Event first = feed.next(SOON);
            Event second = feed.next(SOON);
            assertThat(denials(List.of(first, second))).containsExactlyInAnyOrder("sid " + sid(carol), "jti " + jti(carol));
            assertThat(Long.parseLong(second.id())).isGreaterThan(Long.parseLong(snapshot.get(1).id()));
        }
    }

    @Test
    void aSubscriberResumingWithLastEventIdGetsWhatItMissedWithoutASnapshot() {
        register("bob");
        Map<String, Object> bob = login("bob");
        String lastSeen;
        try (SseStream feed = subscribe()) {
            feed.until("ready", SOON);
            logout(bob);
            feed.next(SOON);
            lastSeen = feed.next(SOON).id();
        }
        clock.advance(Duration.ofMinutes(3)); // bob's denials are now older than the resume overlap
        register("carol");
        Map<String, Object> carol = login("carol");
        logout(carol);

        try (SseStream feed = subscribe("Last-Event-ID", lastSeen)) {
            Event a = feed.next(SOON);
            Event b = feed.next(SOON);
            assertThat(denials(List.of(a, b))).containsExactlyInAnyOrder("sid " + sid(carol), "jti " + jti(carol));
        }
    }

    @Test
    void aLastEventIdTheServerCannotPlaceGetsAFreshSnapshot() {
        register("bob");
        logout(login("bob"));
        for (String id : new String[] {"99999999", "not-a-number", "-1", "1".repeat(30)}) {
            try (SseStream feed = subscribe("Last-Event-ID", id)) {
                List<Event> events = feed.until("ready", SOON);
                assertThat(events.getFirst().type()).as(id).isEqualTo("reset");
                assertThat(denials(events)).as(id).hasSize(2);
            }
        }
    }

    @Test
    void theFeedNeedsATokenThatMayReadIt() {
        register("bob");
        String bob = (String) login("bob").get("access_token");

        HttpResponse<String> anonymous = http.get("/revocations");
        HttpResponse<String> notAdmin = http.getAs(bob, "/revocations");

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(Json.parseObject(anonymous.body())).containsEntry("code", "token_missing");
        assertThat(notAdmin.statusCode()).isEqualTo(403);
        assertThat(Json.parseObject(notAdmin.body())).containsEntry("code", "insufficient_scope");
        assertThat(notAdmin.headers().firstValue("WWW-Authenticate"))
                .hasValue("Bearer realm=\"jot\", error=\"insufficient_scope\", scope=\"jot:revocations\"");
    }

    @Test
    void denialsAreAnnouncedWithTheirKindValueAndExpiry() {
        register("bob");
        Map<String, Object> bob = login("bob");
        try (SseStream feed = subscribe()) {
            feed.until("ready", SOON);
            logout(bob);
            for (Event e : List.of(feed.next(SOON), feed.next(SOON))) {
                Map<String, Object> data = Json.parseObject(e.data());
                assertThat(data).containsOnlyKeys("kind", "value", "until");
                long until = (Long) data.get("until");
                assertThat(until).isBetween(clock.instant().getEpochSecond(),
                        clock.instant().plus(Duration.ofMinutes(16)).getEpochSecond());
            }
        }
    }

    @Test
    void stoppingTheServerEndsTheStreamAtOnce() {
        try (SseStream feed = subscribe()) {
            feed.until("ready", SOON);
            long start = System.nanoTime();
            server.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            server = JotServer.start(database.applyTo(TestConfigs.base(dataDir)).build(), clock); // for @AfterEach
            assertThat(feed.ended(SOON)).as("the stream ended").isTrue();
            assertThat(took).as("an open stream does not hold up the stop").isLessThan(Duration.ofSeconds(5));
        }
    }

    private SseStream subscribe(String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + admin;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return SseStream.open(server.baseUrl() + "/revocations", all);
    }

    /** "kind value" of each deny event. */
    private static List<String> denials(List<Event> events) {
        return events.stream().filter(e -> e.type().equals("deny")).map(e -> {
            Map<String, Object> d = Json.parseObject(e.data());
            return d.get("kind") + " " + d.get("value");
        }).toList();
    }

    private void register(String user) {
        HttpResponse<String> r = http.postJson("/register", Json.write(Map.of("username", user, "password", PASSWORD)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private Map<String, Object> login(String user) {
        HttpResponse<String> r = http.postJson("/login", Json.write(Map.of("username", user, "password", PASSWORD)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parseObject(r.body());
    }

    private void logout(Map<String, Object> pair) {
        assertThat(http.postJsonAs((String) pair.get("access_token"), "/logout", null).statusCode()).isEqualTo(204);
    }

    private static String sid(Map<String, Object> pair) {
        return (String) dev.jot.jwt.Unverified.decode((String) pair.get("access_token")).claims().get("sid");
    }

    private static String jti(Map<String, Object> pair) {
        return (String) dev.jot.jwt.Unverified.decode((String) pair.get("access_token")).claims().get("jti");
    }
}
