package dev.jot.server.session;

import dev.jot.jwt.JwtVerifier;
import dev.jot.jwt.VerifiedJwt;
import dev.jot.server.audit.AuditEvent;
import dev.jot.server.audit.AuditLog;
import dev.jot.server.config.Retention;
import dev.jot.server.metrics.Metrics;
import dev.jot.server.config.Sessions;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.session.Revocations.Kind;
import dev.jot.server.session.SessionRepository.RefreshRow;
import dev.jot.server.store.Cursor;
import dev.jot.server.store.Page;
import dev.jot.server.token.Grant;
import dev.jot.server.token.Scopes;
import dev.jot.server.token.Subject;
import dev.jot.server.token.TokenParameters;
import dev.jot.server.token.TokenPolicy;
import dev.jot.server.token.TokenRequest;
import dev.jot.server.token.TokenService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.SecretKey;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Sessions: one per login, renewed by rotating refresh tokens, ended by logout, password change or reuse of a
 * spent refresh token. Ending a session also denies every access token it issued (by {@code sid}), so "log out"
 * and "log out everywhere" take effect on the very next request, not when the access tokens expire.
 */
public final class SessionService {
    /** The verifier's clock skew: a token is accepted this long past its {@code exp}, so denial lasts as long. */
    private static final Duration SKEW = JwtVerifier.DEFAULT_CLOCK_SKEW;

    private final Jdbi jdbi;
    private final SessionRepository repo = new SessionRepository();
    private final RefreshTokens refreshTokens;
    private final Revocations revocations;
    private final TokenService tokens;
    private final TokenPolicy policy;
    private final ActiveSubjects subjects;
    private final AuditLog audit;
    private final Sessions lifetimes;
    private final Clock clock;
    private final Retention retention;
    private final Metrics metrics;

    /** The accounts that may still hold sessions: the user by id, unless gone or disabled. */
    @FunctionalInterface
    public interface ActiveSubjects {
        Optional<Subject> find(String userId);
    }

    public SessionService(Jdbi jdbi, SecretKey masterKey, Revocations revocations, TokenService tokens,
                          TokenPolicy policy, ActiveSubjects subjects, AuditLog audit, Sessions lifetimes,
                          Clock clock) {
        this(jdbi, masterKey, revocations, tokens, policy, subjects, audit, lifetimes, clock,
                new Retention(Duration.ofDays(365), Duration.ofDays(30), Duration.ofDays(1), Integer.MAX_VALUE),
                new Metrics());
    }

    public SessionService(Jdbi jdbi, SecretKey masterKey, Revocations revocations, TokenService tokens,
                          TokenPolicy policy, ActiveSubjects subjects, AuditLog audit, Sessions lifetimes,
                          Clock clock, Retention retention, Metrics metrics) {
        this.retention = retention;
        this.metrics = metrics;
        this.jdbi = jdbi;
        this.refreshTokens = new RefreshTokens(masterKey);
        this.revocations = revocations;
        this.tokens = tokens;
        this.policy = policy;
        this.subjects = subjects;
        this.audit = audit;
        this.lifetimes = lifetimes;
        this.clock = clock;
    }

    /**
     * Starts a session for a user who just proved the password whose stored hash is {@code verifiedHash}, and hands
     * out its first pair. Empty when that hash is no longer the user's, or the account was disabled meanwhile: a
     * login that was hashing while the password changed gets no session. The session's tokens carry {@code grant}
     * (a refresh may narrow it for one token, never widen it).
     */
    public Optional<TokenPair> start(Subject user, String verifiedHash, String clientId, Grant grant) {
        Instant now = now();
        String sessionId = UUID.randomUUID().toString();
        String refresh = RefreshTokens.newToken();
        Instant sessionEnds = now.plus(lifetimes.familyLifetime());
        List<String> ended = new ArrayList<>();
        boolean started = jdbi.inTransaction(h -> {
            if (!repo.insertSession(h, sessionId, user.id(), verifiedHash, clientId, grant, now, sessionEnds)) {
                return false;
            }
            repo.insertRefreshToken(h, RefreshTokens.hash(refresh), sessionId, now,
                    earliest(now.plus(lifetimes.refreshTokenTtl()), sessionEnds));
            ended.addAll(endSessionsOverCap(h, user.id(), now));
            return true;
        });
        if (!started) {
            return Optional.empty();
        }
        applyEnded(ended);
        return Optional.of(new TokenPair(tokens.issue(TokenRequest.session(user, sessionId, grant)), refresh,
                sessionId));
    }

    private sealed interface Renewal {
        /** The session's head: just rotated to, or handed again to a retry within the grace window. */
        record Head(String refreshToken) implements Renewal { }
        record Reused() implements Renewal { }
        record Ended() implements Renewal { }
        record Stale() implements Renewal { }
    }

    /**
     * Trades a refresh token for a new pair. The presented token is spent by a conditional UPDATE under the
     * session's row lock, so of any number of concurrent refreshes exactly one rotates the session. A spent
     * token presented again within the grace window gets that successor while it is unused (the session keeps
     * one head), and is refused once it has been used; after the window it is reuse — a sign the token was
     * stolen — and the whole session ends (OAuth 2.0 Security BCP, RFC 9700 §4.14.2).
     */
    public TokenPair refresh(String token, String clientAddress) {
        return refresh(token, clientAddress, TokenParameters.NONE);
    }

    /**
     * {@link #refresh(String, String)} with the request's {@code scope} and target: the new access token may carry
     * fewer scopes than the session (RFC 6749 §6: never more), and be for another registered API. Checked before
     * the refresh token is spent, so a refused request leaves it usable.
     */
    public TokenPair refresh(String token, String clientAddress, TokenParameters asked) {
        RefreshRow row = lookUp(token).orElseThrow(() -> invalidRefreshToken("the refresh token is not valid"));
        Instant now = now();
        String hash = row.tokenHash();
        if (row.sessionEndedAt() != null) {
            throw invalidRefreshToken("the session of this refresh token has ended");
        }
        if (!now.isBefore(row.expiresAt()) || !now.isBefore(row.sessionExpiresAt())) {
            throw new ServerException(ServerError.REFRESH_TOKEN_EXPIRED, "the refresh token has expired; log in again");
        }
        // Read before the transaction: a second connection inside it could starve the pool under a burst.
        Subject user = subjects.find(row.userId())
                .orElseThrow(() -> invalidRefreshToken("the account of this session is not active"));
        Grant granted = sessionGrant(row);
        Grant grant = new Grant(Scopes.grant(asked.scope().flatMap(Scopes::parameter), granted.scope()),
                asked.namesTarget() ? policy.audience(asked.resource(), asked.audience(), List.of())
                        : granted.audience());
        String successor = refreshTokens.successorOf(token);
        String successorHash = RefreshTokens.hash(successor);

        Renewal renewal = jdbi.inTransaction(h -> {
            var session = repo.lockSession(h, row.sessionId());
            if (session.isEmpty() || session.get().endedAt() != null) {
                return new Renewal.Ended();
            }
            if (repo.spend(h, hash, now)) {
                repo.insertRefreshToken(h, successorHash, row.sessionId(), now,
                        earliest(now.plus(lifetimes.refreshTokenTtl()), row.sessionExpiresAt()));
                return new Renewal.Head(successor);
            }
            Instant spentAt = repo.spentAt(h, hash).orElse(now);
            if (now.isBefore(spentAt.plus(lifetimes.reuseGrace()))) {
                // A retry seconds after the spend: a duplicate request, not theft. It gets the session's head if
                // nobody has used it yet; if the session has moved on, it is refused, but the session lives.
                return repo.isUnspent(h, successorHash) ? new Renewal.Head(successor) : new Renewal.Stale();
            }
            endSession(h, row.sessionId(), now, "refresh_reuse");
            return new Renewal.Reused();
        });
        return switch (renewal) {
            case Renewal.Head r -> {
                TokenPair pair = new TokenPair(tokens.issue(TokenRequest.session(user, row.sessionId(), grant)),
                        r.refreshToken(), row.sessionId());
                metrics.tokenIssued("refresh_token");
                yield pair;
            }
            case Renewal.Ended e -> throw invalidRefreshToken("the session of this refresh token has ended");
            case Renewal.Stale st -> throw invalidRefreshToken("this refresh token was already used");
            case Renewal.Reused u -> {
                applySessionEnd(row.sessionId(), now);
                audit.record(AuditEvent.REFRESH_REUSE, row.userId(), clientAddress, "session " + row.sessionId());
                throw invalidRefreshToken("this refresh token was already used; the session has been ended");
            }
        };
    }

    /**
     * What the session's tokens carry: the scope and audience stored at login, as far as they are still allowed
     * (the user scopes and the APIs are settings, and may have changed since); sessions from before they were
     * stored get today's defaults.
     */
    private Grant sessionGrant(RefreshRow row) {
        List<String> scope = row.scope() == null ? policy.userScopes()
                : policy.stillAllowedForUsers(Scopes.stored(row.scope()));
        String audience = row.audience() != null && policy.audiences().contains(row.audience()) ? row.audience()
                : policy.defaultAudience();
        return new Grant(scope, audience);
    }

    /**
     * Ends the caller's session (the {@code sid} of their access token) and denies that access token, plus the
     * session of {@code refreshToken} if one is given and belongs to the caller.
     */
    public void logout(VerifiedJwt caller, Optional<String> refreshToken, String clientAddress) {
        Instant now = now();
        String userId = caller.claims().subject().orElse("");
        List<String> ended = new ArrayList<>();
        Optional<String> otherSession = refreshToken.flatMap(this::lookUp)
                .filter(r -> r.userId().equals(userId))
                .map(RefreshRow::sessionId);
        jdbi.useTransaction(h -> {
            for (String sid : sessionsOf(caller, otherSession)) {
                if (repo.lockSession(h, sid).filter(s -> s.userId().equals(userId)).isPresent()) {
                    endSession(h, sid, now, "logout");
                    ended.add(sid);
                }
            }
            denyAccessToken(h, caller);
        });
        ended.forEach(sid -> applySessionEnd(sid, now));
        applyAccessTokenDenial(caller);
        audit.record(AuditEvent.LOGOUT, userId, clientAddress, null);
    }

    /** Ends every session of the caller and denies all their access tokens ("sign out everywhere"). */
    public void logoutAll(VerifiedJwt caller, String clientAddress) {
        String userId = caller.claims().subject().orElse("");
        Instant now = now();
        List<String> ended = jdbi.inTransaction(h -> {
            List<String> live = repo.lockLiveSessions(h, userId);
            live.forEach(sid -> endSession(h, sid, now, "logout_all"));
            denyAccessToken(h, caller);
            return live;
        });
        ended.forEach(sid -> applySessionEnd(sid, now));
        applyAccessTokenDenial(caller);
        audit.record(AuditEvent.LOGOUT_ALL, userId, clientAddress, ended.size() + " sessions");
    }

    /**
     * Ends every live session of {@code userId} but {@code keep} (a password change keeps the caller's own), inside
     * the caller's transaction, locking them in id order; returns the ended ones, which the caller passes to
     * {@link #applyEnded} after commit (OWASP Session Management: renew sessions after a password change).
     */
    public List<String> endSessionsOf(Handle tx, String userId, Optional<String> keep, String reason) {
        Instant now = now();
        List<String> others = new ArrayList<>(repo.lockLiveSessions(tx, userId));
        keep.ifPresent(others::remove);
        others.forEach(sid -> endSession(tx, sid, now, reason));
        return others;
    }

    /** Makes the denial of committed session ends effective on this instance at once. */
    public void applyEnded(List<String> sessionIds) {
        Instant now = now();
        sessionIds.forEach(sid -> applySessionEnd(sid, now));
    }

    /**
     * RFC 7009 revocation of a refresh token: its session ends, and with it every access token of the session
     * (§2.1: revoking a refresh token should also invalidate the access tokens of the same grant). False when the
     * token is not a live refresh token of ours (the caller answers 200 either way, §2.2).
     */
    public boolean revokeRefreshToken(String token) {
        Optional<RefreshRow> row = lookUp(token);
        if (row.isEmpty() || row.get().sessionEndedAt() != null) {
            return false;
        }
        Instant now = now();
        boolean ended = jdbi.inTransaction(h -> repo.lockSession(h, row.get().sessionId()).isPresent()
                && endSession(h, row.get().sessionId(), now, "revoked"));
        if (ended) {
            applySessionEnd(row.get().sessionId(), now);
        }
        return ended;
    }

    /** RFC 7009 revocation of one of our access tokens (already verified by the caller): denied until it expires. */
    public void revokeAccessToken(VerifiedJwt token) {
        jdbi.useTransaction(h -> denyAccessToken(h, token));
        applyAccessTokenDenial(token);
    }

    /** RFC 7662 introspection of a refresh token: its metadata when it is usable now, else {@code active: false}. */
    public Map<String, Object> introspectRefreshToken(String token) {
        Instant now = now();
        Optional<RefreshRow> found = lookUp(token);
        if (found.isEmpty()) {
            return Map.of("active", false);
        }
        RefreshRow r = found.get();
        boolean active = r.spentAt() == null && r.sessionEndedAt() == null && now.isBefore(r.expiresAt())
                && now.isBefore(r.sessionExpiresAt()) && subjects.find(r.userId()).isPresent();
        if (!active) {
            return Map.of("active", false);
        }
        return Map.of("active", true, "token_type", "refresh_token", "client_id", r.clientId(), "sub", r.userId(),
                "sid", r.sessionId(), "iat", r.issuedAt().getEpochSecond(),
                "exp", earliest(r.expiresAt(), r.sessionExpiresAt()).getEpochSecond());
    }

    /** The row of a presented refresh token; empty for one that cannot be ours (empty, over-long) or is unknown. */
    private Optional<RefreshRow> lookUp(String token) {
        if (token == null || token.isEmpty() || token.length() > RefreshTokens.MAX_LENGTH) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> repo.findRefreshToken(h, RefreshTokens.hash(token)));
    }

    /** The caller's session and another, sorted: sessions are always locked in id order, so two never deadlock. */
    private List<String> sessionsOf(VerifiedJwt caller, Optional<String> other) {
        List<String> ids = new ArrayList<>();
        caller.claims().getString("sid").ifPresent(ids::add);
        other.filter(s -> !ids.contains(s)).ifPresent(ids::add);
        ids.sort(null);
        return ids;
    }

    /** Live sessions, of one user or all, in creation order: one page of at most {@code limit}. */
    public Page<SessionInfo> live(Optional<String> userId, Optional<Cursor> after, int limit) {
        Instant now = now();
        List<SessionInfo> rows = jdbi.withHandle(h -> repo.listLive(h, userId, after, limit + 1, now));
        if (rows.size() <= limit) {
            return new Page<>(rows, Optional.empty());
        }
        SessionInfo last = rows.get(limit - 1);
        return new Page<>(rows.subList(0, limit), Optional.of(new Cursor(last.createdAt(), last.id()).encode()));
    }

    /**
     * Ends one live session (an admin's {@code DELETE /admin/sessions/{id}}) and denies its access tokens at once.
     * The session's user, or empty when there is no such live session.
     */
    public Optional<String> end(String sessionId) {
        Instant now = now();
        Optional<String> ended = jdbi.inTransaction(h -> {
            Optional<SessionRepository.SessionState> s = repo.lockSession(h, sessionId);
            if (s.isEmpty() || s.get().endedAt() != null || !now.isBefore(s.get().expiresAt())) {
                return Optional.<String>empty();
            }
            endSession(h, sessionId, now, "admin");
            return Optional.of(s.get().userId());
        });
        ended.ifPresent(u -> applySessionEnd(sessionId, now));
        return ended;
    }

    /**
     * A user may have {@link Retention#maxSessionsPerUser()} live sessions: a login beyond that ends the oldest
     * ones (in the login's transaction; their access tokens are denied like any ended session's). Two logins at
     * the same moment may each count the other's session too early, leaving one over the cap until the next login.
     */
    private List<String> endSessionsOverCap(Handle h, String userId, Instant now) {
        List<String> live = repo.liveSessionsOldestFirst(h, userId, now);
        int over = live.size() - retention.maxSessionsPerUser();
        List<String> ended = new ArrayList<>();
        for (int i = 0; i < over; i++) {
            if (endSession(h, live.get(i), now, "session_cap")) {
                ended.add(live.get(i));
            }
        }
        return ended;
    }

    /**
     * Deletes finished sessions (see {@link SessionRepository#deleteFinished}) once ended longer than the retention,
     * and refresh tokens spent longer than theirs: a periodic job.
     */
    public void purgeFinished() {
        Instant now = now();
        jdbi.useHandle(h -> {
            repo.deleteFinished(h, now, now.minus(retention.endedSessions()));
            repo.deleteSpentBefore(h, now.minus(retention.spentRefreshTokens()));
        });
    }

    /** Ends a session in the transaction and denies its access tokens for as long as any can be accepted. */
    private boolean endSession(Handle h, String sid, Instant now, String reason) {
        if (repo.endSession(h, sid, now, reason)) {
            revocations.revoke(h, Kind.sid, sid, sessionDenialEnd(now));
            return true;
        }
        return false;
    }

    private void applySessionEnd(String sid, Instant now) {
        revocations.applyLocally(Kind.sid, sid, sessionDenialEnd(now));
    }

    /** Every access token of a session ending now was issued before now, so it is accepted until at most this. */
    private Instant sessionDenialEnd(Instant now) {
        return now.plus(tokens.ttl()).plus(SKEW);
    }

    private void denyAccessToken(Handle h, VerifiedJwt token) {
        jtiDenial(token).ifPresent(d -> revocations.revoke(h, Kind.jti, d.jti(), d.until()));
    }

    private void applyAccessTokenDenial(VerifiedJwt token) {
        jtiDenial(token).ifPresent(d -> revocations.applyLocally(Kind.jti, d.jti(), d.until()));
    }

    private record JtiDenial(String jti, Instant until) {
    }

    /** A token is accepted until its exp plus the verifier's skew, so its denial lasts as long. */
    private static Optional<JtiDenial> jtiDenial(VerifiedJwt token) {
        Optional<Instant> exp = token.claims().expiresAt();
        return token.claims().jwtId().flatMap(jti -> exp.map(e -> new JtiDenial(jti, e.plus(SKEW))));
    }

    private static ServerException invalidRefreshToken(String detail) {
        return new ServerException(ServerError.REFRESH_TOKEN_INVALID, detail);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS); // what PostgreSQL keeps
    }
}
