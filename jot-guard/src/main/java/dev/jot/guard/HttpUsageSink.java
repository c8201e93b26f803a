package dev.jot.guard;

import dev.jot.guard.HttpFetcher.FetchFailure;
import dev.jot.guard.HttpFetcher.Response;
import dev.jot.guard.usage.UsageBatch;
import dev.jot.guard.usage.UsageSink;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Ships usage batches to the issuer: {@code POST <issuer>/usage/batches} with the batch's JSON (see
 * {@link dev.jot.guard.usage}) and {@code Authorization: Bearer} with a token whose scope holds {@code jot:usage},
 * typically from {@link ClientCredentials}:
 *
 * <pre>{@code
 * ClientCredentials machine = ClientCredentials.forIssuer(issuer, clientId, secret).scope("jot:usage").build();
 * UsageShipper shipper = UsageShipper.builder(meter, HttpUsageSink.forIssuer(issuer, machine)).start();
 * }</pre>
 *
 * A batch is stored when the issuer answers 200 (an id it had counted already) or 202; any other answer, a
 * timeout (connect 2 s, response 5 s by default) or an I/O error is "not stored" and the shipper sends the batch
 * again later. After a 401 a {@link ClientCredentials} supplier is told to {@linkplain ClientCredentials#forget()
 * forget} its token, so the next attempt asks for a new one. Answers are read up to 64 KiB. {@code https}, or
 * {@code http} to a loopback address only, as for every endpoint the guard talks to.
 */
public final class HttpUsageSink implements UsageSink, AutoCloseable {

    private final URI endpoint;
    private final Supplier<String> bearerToken;
    private final HttpFetcher http;

    private HttpUsageSink(URI endpoint, Supplier<String> bearerToken, Duration connect, Duration read) {
        this.endpoint = Endpoints.requireFetchable(Objects.requireNonNull(endpoint), "the usage endpoint");
        this.bearerToken = Objects.requireNonNull(bearerToken);
        this.http = new HttpFetcher(connect, read, FetchSettings.DEFAULTS.maxBytes());
    }

    /** Batches to {@code issuer + "/usage/batches"}. */
    public static HttpUsageSink forIssuer(String issuer, Supplier<String> bearerToken) {
        Endpoints.issuer(Objects.requireNonNull(issuer));
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return at(URI.create(base + "/usage/batches"), bearerToken);
    }

    /** Batches to {@code endpoint}, with the default timeouts. */
    public static HttpUsageSink at(URI endpoint, Supplier<String> bearerToken) {
        return at(endpoint, bearerToken, FetchSettings.DEFAULTS.connectTimeout(), FetchSettings.DEFAULTS.readTimeout());
    }

    /** Batches to {@code endpoint}: connecting may take {@code connect}, the answer {@code read}. */
    public static HttpUsageSink at(URI endpoint, Supplier<String> bearerToken, Duration connect, Duration read) {
        if (connect.isNegative() || connect.isZero() || read.isNegative() || read.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        return new HttpUsageSink(endpoint, bearerToken, connect, read);
    }

    /** Where batches go. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void ship(UsageBatch batch) throws IOException {
        String token;
        try {
            token = bearerToken.get();
        } catch (RuntimeException e) {
            throw new IOException("no bearer token for the usage endpoint (" + e.getMessage() + ")");
        }
        if (token == null || !TokenExtractor.isB64Token(token, 0)) {
            throw new IOException("the bearer token supplier gave no usable token");
        }
        Response r;
        try {
            r = http.postJson(endpoint, batch.toJson(), "Bearer " + token);
        } catch (FetchFailure e) {
            throw new IOException(endpoint + ": " + e.getMessage());
        }
        if (r.status() == 200 || r.status() == 202) {
            return;
        }
        if (r.status() == 401 && bearerToken instanceof ClientCredentials cc) {
            cc.forget();
        }
        throw new IOException(endpoint + " answered HTTP " + r.status());
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "HttpUsageSink[" + endpoint + "]";
    }
}
