package dev.jot.guard;

import dev.jot.guard.HttpFetcher.FetchFailure;
import dev.jot.guard.HttpFetcher.Response;
import dev.jot.jwt.Json;
import dev.jot.jwt.JwtException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An access token of this API's own, by the OAuth 2.0 client credentials grant (RFC 6749 §4.4): what a resource
 * server presents to its issuer, for example to read the revocation feed. Kept and handed out until four fifths of
 * its lifetime ({@code expires_in}) have passed, then renewed on the next {@link #get()}, so that a token handed
 * out always has a fifth of its life left.
 *
 * <pre>{@code
 * ClientCredentials machine = ClientCredentials.forIssuer("https://auth.example.com", "orders-api", secret)
 *         .scope("jot:revocations").build();                  // token_endpoint from the discovery document
 * RemoteRevocations feed = RemoteRevocations.subscribe(feedUrl, machine);   // asks on every (re)connect
 * }</pre>
 *
 * The client authenticates with {@code client_secret_basic} (RFC 6749 §2.3.1: id and secret form-encoded, then
 * HTTP Basic). Requests are bounded as key fetches are (connect 2 s, response 5 s, 64 KiB). A refusal throws
 * {@link TokenRequestFailed}, whose message names the OAuth {@code error} code and never the secret or a token.
 * Thread-safe: one token request at a time, callers meanwhile wait for its outcome.
 */
public final class ClientCredentials implements Supplier<String>, AutoCloseable {

    /** The lifetime assumed when the token response has no {@code expires_in} (RFC 6749 §5.1 only recommends it). */
    static final Duration ASSUMED_LIFETIME = Duration.ofMinutes(1);

    private final String issuer;
    private final String clientId;
    private final String clientSecret;
    private final List<String> scopes;
    private final Clock clock;
    private final HttpFetcher http;
    // Under the lock of this object:
    private URI tokenEndpoint;
    private String token;
    private long renewAtMillis;
    private int requests;

    private ClientCredentials(Builder b) {
        this.issuer = b.issuer;
        this.tokenEndpoint = b.tokenEndpoint;
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.scopes = List.copyOf(b.scopes);
        this.clock = b.clock;
        this.http = new HttpFetcher(FetchSettings.DEFAULTS.connectTimeout(), FetchSettings.DEFAULTS.readTimeout(),
                FetchSettings.DEFAULTS.maxBytes());
    }

    /**
     * Credentials for the token endpoint of {@code issuer}, read from its discovery document (whose {@code issuer}
     * must equal this one, RFC 8414 §3.3) on the first {@link #get()}.
     */
    public static Builder forIssuer(String issuer, String clientId, String clientSecret) {
        Endpoints.issuer(Objects.requireNonNull(issuer));
        return new Builder(issuer, null, clientId, clientSecret);
    }

    /** Credentials for {@code tokenEndpoint} ({@code https}, or {@code http} to a loopback address). */
    public static Builder atTokenEndpoint(URI tokenEndpoint, String clientId, String clientSecret) {
        return new Builder(null, Endpoints.requireFetchable(Objects.requireNonNull(tokenEndpoint), "the token endpoint"),
                clientId, clientSecret);
    }

    /**
     * A token that has at least a fifth of its lifetime left: the one held, or a new one from the token endpoint.
     *
     * @throws TokenRequestFailed when the endpoint cannot be reached or refuses (the message says which, and why)
     */
    @Override
    public synchronized String get() {
        long now = clock.millis();
        if (token == null || now >= renewAtMillis) {
            request(now);
        }
        return token;
    }

    /** Token requests sent so far (for tests and metrics). */
    public synchronized int requests() {
        return requests;
    }

    /** Forgets the token held, so the next {@link #get()} asks for a new one (after the issuer refused it). */
    public synchronized void forget() {
        token = null;
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "ClientCredentials[" + clientId + (scopes.isEmpty() ? "" : ", scope=" + String.join(" ", scopes)) + "]";
    }

    private void request(long now) {
        requests++;
        try {
            if (tokenEndpoint == null) {
                tokenEndpoint = discoverTokenEndpoint();
            }
            StringBuilder form = new StringBuilder("grant_type=client_credentials");
            if (!scopes.isEmpty()) {
                form.append("&scope=").append(formEncode(String.join(" ", scopes)));
            }
            Response r = http.postForm(tokenEndpoint, form.toString(), basic(clientId, clientSecret));
            Map<String, Object> body = jsonObject(r.body());
            if (r.status() != 200) {
                throw new TokenRequestFailed("the token endpoint refused the client (HTTP " + r.status()
                        + errorCode(body) + ")");
            }
            accept(body, now);
        } catch (FetchFailure e) {
            throw new TokenRequestFailed("the token endpoint could not be reached: " + e.getMessage());
        }
    }

    /** RFC 6749 §5.1: a Bearer {@code access_token}, and {@code expires_in} seconds when the server says. */
    private void accept(Map<String, Object> body, long now) {
        if (!(body.get("access_token") instanceof String t) || !TokenExtractor.isB64Token(t, 0)) {
            throw new TokenRequestFailed("the token response has no usable access_token");
        }
        if (!(body.get("token_type") instanceof String type) || !type.equalsIgnoreCase("Bearer")) {
            throw new TokenRequestFailed("the token response's token_type is not Bearer (RFC 6750)");
        }
        long lifetimeMillis;
        Object expiresIn = body.get("expires_in");
        if (expiresIn == null) {
            lifetimeMillis = ASSUMED_LIFETIME.toMillis();
        } else if (expiresIn instanceof Number n && n.longValue() > 0 && n.longValue() <= Duration.ofDays(3650).toSeconds()) {
            lifetimeMillis = n.longValue() * 1000;
        } else {
            throw new TokenRequestFailed("the token response's expires_in is not a positive number of seconds");
        }
        this.token = t;
        this.renewAtMillis = now + lifetimeMillis * 4 / 5;
    }

    private URI discoverTokenEndpoint() throws FetchFailure {
        Response r = http.get(Endpoints.discovery(issuer), "application/json", null);
        if (r.status() != 200) {
            throw new FetchFailure("the discovery document answered HTTP " + r.status());
        }
        Map<String, Object> doc = jsonObject(r.body());
        if (!issuer.equals(doc.get("issuer"))) {
            throw new TokenRequestFailed("the discovery document names another issuer (RFC 8414 §3.3)");
        }
        if (!(doc.get("token_endpoint") instanceof String endpoint)) {
            throw new TokenRequestFailed("the discovery document has no token_endpoint");
        }
        try {
            return Endpoints.requireFetchable(new URI(endpoint), "token_endpoint");
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new TokenRequestFailed("the discovery document's token_endpoint is refused: " + e.getMessage());
        }
    }

    private static Map<String, Object> jsonObject(byte[] body) {
        try {
            return Json.parseObject(body, Json.DEFAULT_MAX_DEPTH);
        } catch (JwtException e) {
            return Map.of(); // judged by the caller: a refusal without a body, or a response without a token
        }
    }

    /** The OAuth {@code error} (RFC 6749 §5.2) when it is a plain code; never free text from the server. */
    private static String errorCode(Map<String, Object> body) {
        if (body.get("error") instanceof String e && !e.isEmpty() && e.length() <= 64
                && e.chars().allMatch(c -> c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
            return ": " + e;
        }
        return "";
    }

    /** RFC 6749 §2.3.1: each part form-encoded (Appendix B), then Basic (RFC 7617). */
    static String basic(String id, String secret) {
        String pair = formEncode(id) + ":" + formEncode(secret);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static String formEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The token endpoint was unreachable, refused the client, or answered something that is not a token. */
    public static final class TokenRequestFailed extends RuntimeException {
        TokenRequestFailed(String message) {
            super(message, null, false, false);
        }
    }

    /** Settings; only the scope is commonly set. */
    public static final class Builder {
        private final String issuer;
        private final URI tokenEndpoint;
        private final String clientId;
        private final String clientSecret;
        private final List<String> scopes = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        private Builder(String issuer, URI tokenEndpoint, String clientId, String clientSecret) {
            this.issuer = issuer;
            this.tokenEndpoint = tokenEndpoint;
            if (Objects.requireNonNull(clientId, "clientId").isEmpty()) {
                throw new IllegalArgumentException("the client id must not be empty");
            }
            if (Objects.requireNonNull(clientSecret, "clientSecret").isEmpty()) {
                throw new IllegalArgumentException("the client secret must not be empty");
            }
            this.clientId = clientId;
            this.clientSecret = clientSecret;
        }

        /** The scopes to ask for (RFC 6749 §3.3); none by default, leaving the choice to the server. */
        public Builder scope(String... names) {
            Access.scopes(names); // refuses what is not an RFC 6749 §3.3 scope-token
            scopes.addAll(List.of(names));
            return this;
        }

        /** Judges when the token held is due for renewal. */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c);
            return this;
        }

        public ClientCredentials build() {
            return new ClientCredentials(this);
        }
    }
}
