package dev.jot.examples.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.greenbytes.http.sfv.IntegerItem;
import org.greenbytes.http.sfv.Item;
import org.greenbytes.http.sfv.ListElement;
import org.greenbytes.http.sfv.OuterList;
import org.greenbytes.http.sfv.Parser;
import org.greenbytes.http.sfv.StringItem;

/** What the usage tests ask of Jot and of the tutorial API: clients, API keys, quotas, usage reads, RateLimit fields. */
final class UsageCalls {
    /** The tutorial API's routes: what its guard meters (Jot's own routes are metered too, and left out here). */
    static final List<String> ROUTES = List.of("/public", "/private", "/secret", "/admin", "/root");

    private UsageCalls() {
    }

    /** An OAuth client of Jot that may read the feed and ship usage: {client_id, client_secret}. */
    static TutorialConfig.Feed.Client client(Jot jot, String admin, String name) {
        HttpResponse<String> r = jot.http.postJson("/admin/clients", Http.json(Map.of("name", name,
                "scopes", List.of("jot:revocations", "jot:usage"))), "Authorization", "Bearer " + admin);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        Map<String, Object> c = Json.parseObject(r.body());
        return new TutorialConfig.Feed.Client((String) c.get("client_id"), (String) c.get("client_secret"));
    }

    /** A metering tutorial API on a free port, shipping only when the test says so, on {@code jot}'s clock. */
    static TutorialApi api(Jot jot, TutorialConfig.Feed.Client client) {
        TutorialApi api = TutorialApi.start(TutorialConfig.of(jot.issuer()).withPort(0).withFeed(client)
                .withUsage(new TutorialConfig.Usage(TutorialConfig.Usage.Metering.ON, Duration.ofHours(1), true)),
                jot.clock, false);
        Latency.until(Latency.PATIENCE, () -> api.feed().orElseThrow().isInSync());
        return api;
    }

    /** A new API key of the user whose login token is {@code token}: {id, key}. */
    static Map<String, Object> apiKey(Jot jot, String token, String name) {
        HttpResponse<String> r = jot.http.postJson("/api-keys", Http.json(Map.of("name", name)),
                "Authorization", "Bearer " + token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.parseObject(r.body());
    }

    /** The access token of an API key: {@code POST /login} with {@code X-API-Key}. */
    static String keyToken(Jot jot, String key) {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(jot.server.baseUrl() + "/login"))
                .header("X-API-Key", key).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (String) Json.parseObject(r.body()).get("access_token");
    }

    /** PUT of a JSON body with a bearer token. */
    static HttpResponse<String> put(Jot jot, String token, String path, Map<String, ?> body) {
        return Http.send(HttpRequest.newBuilder(URI.create(jot.server.baseUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Http.json(body))));
    }

    /** A usage read ({@code /me/usage?...} or {@code /admin/usage?...}), answered 200. */
    static Map<String, Object> read(Jot jot, String token, String pathAndQuery) {
        HttpResponse<String> r = jot.http.getAs(token, pathAndQuery);
        assertThat(r.statusCode()).as(pathAndQuery + ": " + r.body()).isEqualTo(200);
        return Json.parseObject(r.body());
    }

    /** One point of a read grouped by route: minute, route, status class, requests. */
    record Point(Instant start, String route, String status, long requests) {
    }

    /** The points of a read grouped by route, of the tutorial API's routes only. */
    @SuppressWarnings("unchecked")
    static List<Point> points(Map<String, Object> answer) {
        List<Point> out = new ArrayList<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) answer.get("points")) {
            String route = (String) p.get("route");
            if (ROUTES.contains(route)) {
                out.add(new Point(Instant.parse((String) p.get("start")), route, (String) p.get("status"),
                        ((Number) p.get("requests")).longValue()));
            }
        }
        return out;
    }

    /** A JWT's payload member, read without verifying (the token came from Jot a moment ago). */
    static Object claim(String jwt, String name) {
        String payload = jwt.split("\\.")[1];
        return Json.parseObject(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)).get(name);
    }

    /** One member of a RateLimit field: a policy name and its integer parameters. */
    record Member(String name, Map<String, Long> params) {
    }

    /**
     * Parses {@code RateLimit-Policy} or {@code RateLimit} with a Structured Field Values parser (RFC 9651), as
     * draft-ietf-httpapi-ratelimit-headers defines them: an sf-list of sf-string items with sf-integer parameters.
     */
    static List<Member> rateLimitField(String value) {
        OuterList list = Parser.parseList(value);
        List<Member> out = new ArrayList<>();
        for (ListElement<?> e : list.get()) {
            assertThat(e).as("a member of " + value + " is an Item").isInstanceOf(Item.class);
            assertThat(e).as("a policy name is an sf-string").isInstanceOf(StringItem.class);
            Map<String, Long> params = new LinkedHashMap<>();
            ((StringItem) e).getParams().forEach((k, v) -> {
                assertThat(v).as(k + " in " + value + " is an sf-integer").isInstanceOf(IntegerItem.class);
                params.put(k, ((IntegerItem) v).get());
            });
            out.add(new Member(((StringItem) e).get(), params));
        }
        return out;
    }
}
