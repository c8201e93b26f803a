package dev.jot.examples.tutorial;

import dev.jot.guard.TokenSource;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The tutorial API's settings, from environment variables. Only {@code JOT_ISSUER} is required.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>variable</th><th>default</th><th>what</th></tr>
 * <tr><td>{@code JOT_ISSUER}</td><td>(required)</td><td>the Jot server, e.g. {@code http://localhost:8080}</td></tr>
 * <tr><td>{@code JOT_AUDIENCE}</td><td>the issuer</td><td>the {@code aud} tokens must name (Jot's default audience is its issuer)</td></tr>
 * <tr><td>{@code JOT_TOKEN_SOURCES}</td><td>{@code bearer}</td><td>where tokens are read, comma-separated: {@code bearer},
 *     {@code bare}, {@code header:TOKEN}, {@code query:token}, {@code body:token}, {@code cookie:token}</td></tr>
 * <tr><td>{@code JOT_REVOCATIONS_TOKEN}</td><td>none</td><td>a bearer token that may read the revocation feed
 *     (an admin's access token)</td></tr>
 * <tr><td>{@code JOT_CLIENT_ID}, {@code JOT_CLIENT_SECRET}</td><td>none</td><td>an OAuth client that gets its feed
 *     token by client credentials, scope {@code jot:revocations}</td></tr>
 * <tr><td>{@code JOT_REVOCATIONS_URL}</td><td>issuer + {@code /revocations}</td><td>the feed</td></tr>
 * <tr><td>{@code JOT_USAGE}</td><td>{@code on} with {@code JOT_CLIENT_ID}, else {@code off}</td><td>count requests
 *     per user, client, route and minute, and ship the counts to the issuer's {@code POST /usage/batches} with the
 *     client's token (scope {@code jot:usage}); {@code off} for an A/B benchmark</td></tr>
 * <tr><td>{@code JOT_USAGE_INTERVAL}</td><td>{@code 10}</td><td>seconds between shipments (1–3600)</td></tr>
 * <tr><td>{@code JOT_RATE_LIMITS}</td><td>{@code on}</td><td>enforce the rate limits and quotas tokens carry
 *     ({@code jot_limits}) and send the {@code RateLimit} fields; {@code off} to ignore them</td></tr>
 * <tr><td>{@code API_BIND}, {@code API_PORT}</td><td>{@code 127.0.0.1}, {@code 8081}</td><td>where this API listens
 *     ({@code 0}: a free port)</td></tr>
 * </table>
 *
 * @param feed  how the API reads the issuer's revocation feed, or {@link Feed.None} to go without it
 * @param usage whether requests are metered and shipped, how often, and whether rate limits are enforced
 */
public record TutorialConfig(String issuer, String audience, List<TokenSource> sources, Feed feed, URI feedUrl,
                             String bind, int port, Usage usage) {

    /**
     * Usage metering and rate limits.
     *
     * @param metering   {@code ON}, {@code OFF}, or {@code AUTO}: on when the feed is read as an OAuth client
     *                   ({@code JOT_CLIENT_ID}), whose credentials also ship the counts
     * @param interval   how often counts are shipped
     * @param rateLimits whether the {@code jot_limits} of tokens are enforced
     */
    public record Usage(Metering metering, Duration interval, boolean rateLimits) {
        public enum Metering { AUTO, ON, OFF }

        public static final Usage DEFAULT = new Usage(Metering.AUTO, Duration.ofSeconds(10), true);

        public Usage {
            Objects.requireNonNull(metering);
            if (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("JOT_USAGE_INTERVAL must be 1 to 3600 seconds");
            }
        }
    }

    /** How the feed is read. */
    public sealed interface Feed {
        /** No feed: a logged-out token keeps working here until it expires. */
        record None() implements Feed {
        }

        /** A fixed bearer token (e.g. an admin user's access token): simple, and it expires. */
        record BearerToken(String token) implements Feed {
            public BearerToken {
                if (Objects.requireNonNull(token).isBlank()) {
                    throw new IllegalArgumentException("the token is empty");
                }
            }

            @Override
            public String toString() {
                return "BearerToken[***]"; // never print the token
            }
        }

        /** An OAuth client: a token by client credentials (RFC 6749 §4.4), renewed before it expires. */
        record Client(String id, String secret) implements Feed {
            public Client {
                if (Objects.requireNonNull(id).isBlank() || Objects.requireNonNull(secret).isBlank()) {
                    throw new IllegalArgumentException("JOT_CLIENT_ID and JOT_CLIENT_SECRET go together");
                }
            }

            @Override
            public String toString() {
                return "Client[" + id + ", ***]";
            }
        }
    }

    public static final int DEFAULT_PORT = 8081;

    public TutorialConfig {
        Objects.requireNonNull(issuer);
        Objects.requireNonNull(audience);
        sources = List.copyOf(sources);
        Objects.requireNonNull(feed);
        Objects.requireNonNull(feedUrl);
        Objects.requireNonNull(bind);
        Objects.requireNonNull(usage);
        if (usage.metering() == Usage.Metering.ON && !(feed instanceof Feed.Client)) {
            throw new IllegalArgumentException("JOT_USAGE=on needs JOT_CLIENT_ID and JOT_CLIENT_SECRET: the client "
                    + "(with scope jot:usage) ships the counts");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("API_PORT must be between 0 and 65535");
        }
    }

    /** A configuration for {@code issuer} with every other setting at its default (tests and embedding). */
    public static TutorialConfig of(String issuer) {
        return fromEnv(Map.of("JOT_ISSUER", issuer));
    }

    /** Reads the variables above; a bad value is an {@link IllegalArgumentException} naming the variable. */
    public static TutorialConfig fromEnv(Map<String, String> env) {
        String issuer = get(env, "JOT_ISSUER");
        if (issuer == null) {
            throw new IllegalArgumentException("JOT_ISSUER is required: the URL of the Jot server, e.g. http://localhost:8080");
        }
        issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        String audience = orDefault(get(env, "JOT_AUDIENCE"), issuer);
        List<TokenSource> sources = sources(orDefault(get(env, "JOT_TOKEN_SOURCES"), "bearer"));
        Feed feed = feed(get(env, "JOT_REVOCATIONS_TOKEN"), get(env, "JOT_CLIENT_ID"), get(env, "JOT_CLIENT_SECRET"));
        URI feedUrl = URI.create(orDefault(get(env, "JOT_REVOCATIONS_URL"), issuer + "/revocations"));
        String bind = orDefault(get(env, "API_BIND"), "127.0.0.1");
        int port;
        try {
            port = Integer.parseInt(orDefault(get(env, "API_PORT"), String.valueOf(DEFAULT_PORT)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("API_PORT must be a number");
        }
        Usage usage = new Usage(switch (orDefault(get(env, "JOT_USAGE"), "auto").toLowerCase(Locale.ROOT)) {
            case "on" -> Usage.Metering.ON;
            case "off" -> Usage.Metering.OFF;
            case "auto" -> Usage.Metering.AUTO;
            default -> throw new IllegalArgumentException("JOT_USAGE must be on or off");
        }, Duration.ofSeconds(seconds(env, "JOT_USAGE_INTERVAL", 10)), switch (orDefault(get(env, "JOT_RATE_LIMITS"), "on")
                .toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("JOT_RATE_LIMITS must be on or off");
        });
        return new TutorialConfig(issuer, audience, sources, feed, feedUrl, bind, port, usage);
    }

    private static long seconds(Map<String, String> env, String name, long dflt) {
        String v = get(env, name);
        try {
            return v == null ? dflt : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of seconds");
        }
    }

    /** Whether requests are metered and shipped: {@code JOT_USAGE=on}, or by default when the API is an OAuth client. */
    public boolean metering() {
        return switch (usage.metering()) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> feed instanceof Feed.Client;
        };
    }

    /** This configuration with {@code newUsage}. */
    public TutorialConfig withUsage(Usage newUsage) {
        return new TutorialConfig(issuer, audience, sources, feed, feedUrl, bind, port, newUsage);
    }

    /** This configuration listening on {@code newPort} (0: a free one). */
    public TutorialConfig withPort(int newPort) {
        return new TutorialConfig(issuer, audience, sources, feed, feedUrl, bind, newPort, usage);
    }

    /** This configuration reading tokens from {@code newSources}. */
    public TutorialConfig withSources(List<TokenSource> newSources) {
        return new TutorialConfig(issuer, audience, newSources, feed, feedUrl, bind, port, usage);
    }

    /** This configuration reading the feed as {@code newFeed} says. */
    public TutorialConfig withFeed(Feed newFeed) {
        return new TutorialConfig(issuer, audience, sources, newFeed, feedUrl, bind, port, usage);
    }

    /**
     * {@code bearer} ({@code Authorization: Bearer}), {@code bare} (the whole {@code Authorization} value),
     * {@code header:NAME}, {@code query:NAME}, {@code body:NAME} (a JSON body member), {@code cookie:NAME}.
     */
    static List<TokenSource> sources(String spec) {
        List<TokenSource> out = new ArrayList<>();
        for (String item : spec.split(",")) {
            String s = item.strip();
            int colon = s.indexOf(':');
            String kind = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
            String name = colon < 0 ? "" : s.substring(colon + 1);
            try {
                out.add(switch (kind) {
                    case "bearer" -> noName(TokenSource.bearer(), name);
                    case "bare" -> noName(TokenSource.bareAuthorization(), name);
                    case "header" -> TokenSource.header(name);
                    case "query" -> TokenSource.queryParameter(name);
                    case "body" -> TokenSource.jsonBodyField(name);
                    case "cookie" -> TokenSource.cookie(name);
                    default -> throw new IllegalArgumentException("unknown kind '" + kind + "'");
                });
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("JOT_TOKEN_SOURCES: '" + s + "': " + e.getMessage()
                        + " (expected bearer, bare, header:NAME, query:NAME, body:NAME or cookie:NAME)");
            }
        }
        if (out.size() != out.stream().distinct().count()) {
            throw new IllegalArgumentException("JOT_TOKEN_SOURCES names a source twice");
        }
        return out;
    }

    private static TokenSource noName(TokenSource s, String name) {
        if (!name.isEmpty()) {
            throw new IllegalArgumentException("takes no name");
        }
        return s;
    }

    private static Feed feed(String token, String clientId, String clientSecret) {
        if (token != null && (clientId != null || clientSecret != null)) {
            throw new IllegalArgumentException("set JOT_REVOCATIONS_TOKEN or JOT_CLIENT_ID/JOT_CLIENT_SECRET, not both");
        }
        if (token != null) {
            return new Feed.BearerToken(token);
        }
        if (clientId != null || clientSecret != null) {
            return new Feed.Client(orDefault(clientId, ""), orDefault(clientSecret, ""));
        }
        return new Feed.None();
    }

    private static String get(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static String orDefault(String v, String dflt) {
        return v == null ? dflt : v;
    }
}
