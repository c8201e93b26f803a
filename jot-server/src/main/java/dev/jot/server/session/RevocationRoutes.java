package dev.jot.server.session;

import dev.jot.guard.AuthResult;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.http.Authentication;
import dev.jot.server.http.JsonCodec;
import dev.jot.server.http.RouteTable;
import dev.jot.server.session.RevocationFeed.Subscription;
import dev.jot.server.session.RevocationRepository.Denial;
import dev.jot.server.token.Scopes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /revocations}: the revocation feed for resource servers, as Server-Sent Events (WHATWG HTML §9.2,
 * {@code text/event-stream}). On connect: {@code event: reset}, one {@code event: deny} per live denial, then
 * {@code event: ready}; afterwards each denial as it is committed. Every {@code deny} has an {@code id:} (its
 * sequence number); a subscriber reconnecting with {@code Last-Event-ID} gets only what it missed, or a new
 * snapshot when that cannot be told. A comment line every {@link #HEARTBEAT} keeps proxies and the subscriber's
 * dead-connection timer from closing a quiet stream.
 *
 * <pre>
 * event: deny
 * id: 42
 * data: {"kind":"sid","value":"…","until":1764500000}
 * </pre>
 *
 * Kinds: {@code jti} (one token), {@code sid} (a session), {@code sub} (every token of a user issued up to
 * {@code issued_before}, epoch seconds), {@code client} (every token whose {@code client_id} is the value, issued
 * up to {@code issued_before}: a revoked API key, a deleted client). {@code until} is when the denial stops
 * mattering (epoch seconds).
 */
public final class RevocationRoutes implements RouteTable {
    public static final String PATH = "/revocations";
    /** What a subscriber's token must grant: this scope (a client's), or the admin role. */
    public static final String SCOPE = Scopes.REVOCATIONS;
    static final String ADMIN_ROLE = "admin";
    static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final RevocationFeed feed;
    private final Authentication auth;

    public RevocationRoutes(RevocationFeed feed, Authentication auth) {
        this.feed = feed;
        this.auth = auth;
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.get(PATH, this::stream);
    }

    /** The one place that says who may read the feed. */
    static boolean mayRead(AuthResult.Authenticated caller) {
        return caller.scopes().contains(SCOPE) || caller.roles().contains(ADMIN_ROLE);
    }

    private void stream(Context ctx) throws IOException, InterruptedException {
        AuthResult.Authenticated caller = auth.require(ctx);
        if (!mayRead(caller)) {
            throw new ServerException(ServerError.INSUFFICIENT_SCOPE, "The access token lacks the required scope")
                    .withArgument(SCOPE);
        }
        Optional<Long> lastSeen = lastEventId(ctx.header("Last-Event-ID"));
        ctx.status(200).contentType("text/event-stream; charset=utf-8");
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Accel-Buffering", "no"); // nginx: pass events through as they come
        OutputStream out = ctx.res().getOutputStream();
        try (Subscription sub = feed.subscribe()) {
            Optional<List<Denial>> missed = lastSeen.flatMap(feed::resume);
            if (missed.isPresent()) {
                for (Denial d : missed.get()) {
                    write(out, deny(d));
                }
            } else {
                snapshot(out);
            }
            out.flush();
            while (sub.open()) {
                if (sub.overflowed()) {
                    sub.restart(); // it fell behind: what it missed is gone from the buffer
                    snapshot(out);
                }
                Optional<Denial> next = sub.next(HEARTBEAT);
                if (next.isEmpty() && !sub.open()) {
                    break;
                }
                write(out, next.isPresent() ? deny(next.get()) : ": ping\n\n");
                out.flush();
            }
        } catch (IOException e) {
            // The subscriber went away: nothing to answer, nobody to answer to.
        }
    }

    private void snapshot(OutputStream out) throws IOException {
        write(out, "event: reset\ndata: {}\n\n");
        for (Denial d : feed.snapshot()) {
            write(out, deny(d));
        }
        write(out, "event: ready\ndata: {}\n\n");
    }

    static String deny(Denial d) {
        if (d.kind() == Revocations.Kind.quota) {
            return quota(d);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("kind", d.kind().name());
        data.put("value", d.id());
        data.put("until", d.until().getEpochSecond());
        if (d.kind() == Revocations.Kind.sub || d.kind() == Revocations.Kind.client) {
            data.put("issued_before", d.revokedAt().getEpochSecond());
        }
        return "event: deny\nid: " + d.seq() + "\ndata: " + new String(JsonCodec.write(data), StandardCharsets.UTF_8)
                + "\n\n";
    }

    /**
     * A used-up quota, as {@code event: quota} (the contract of {@code dev.jot.guard.usage}): guards of versions
     * that know no quotas ignore the unknown event. A malformed row becomes a comment, never a {@code deny}.
     */
    static String quota(Denial d) {
        Optional<Revocations.QuotaExhaustion> q = Revocations.QuotaExhaustion.parse(d.id());
        if (q.isEmpty()) {
            return ": skipped a malformed quota event\n\n";
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("kind", q.get().kind());
        data.put("value", q.get().value());
        data.put("policy", q.get().policy());
        data.put("limit", q.get().limit());
        data.put("until", d.until().getEpochSecond());
        return "event: quota\nid: " + d.seq() + "\ndata: " + new String(JsonCodec.write(data), StandardCharsets.UTF_8)
                + "\n\n";
    }

    /** A decimal {@code Last-Event-ID}; anything else means "start over". */
    private static Optional<Long> lastEventId(String header) {
        if (header == null || header.isEmpty() || header.length() > 18 || !header.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(header));
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
