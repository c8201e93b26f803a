package dev.jot.server.session;

import static dev.jot.server.store.Timestamps.utc;

import dev.jot.server.store.Cursor;
import dev.jot.server.store.Timestamps;
import dev.jot.server.token.Grant;
import dev.jot.server.token.Scopes;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** SQL for {@code sessions} and {@code refresh_tokens}. Every method runs on the caller's handle (transaction). */
final class SessionRepository {

    /** A refresh token's row with its session's state. */
    record RefreshRow(String tokenHash, String sessionId, String userId, String clientId, Instant issuedAt,
                      Instant expiresAt, Instant spentAt, Instant sessionExpiresAt, Instant sessionEndedAt,
                      String scope, String audience) {
    }

    /** A session row's state, read with a row lock. */
    record SessionState(String userId, Instant expiresAt, Instant endedAt) {
    }

    /**
     * Starts a session only if the user is enabled and their password hash is still the one just verified: a
     * login that was hashing while the password changed (or the account was disabled) gets no session. False
     * when no session was started.
     */
    boolean insertSession(Handle h, String id, String userId, String verifiedHash, String clientId, Grant grant,
                          Instant now, Instant expiresAt) {
        // The user row is locked first, as a disable or a password change locks it before ending sessions: one that
        // committed meanwhile is seen here, and one that comes later waits for this session and ends it too.
        boolean usable = h.createQuery("SELECT id FROM users WHERE id = :user AND password_hash = :hash "
                        + "AND disabled = FALSE FOR UPDATE")
                .bind("user", userId).bind("hash", verifiedHash).mapTo(String.class).findOne().isPresent();
        if (!usable) {
            return false;
        }
        h.createUpdate("INSERT INTO sessions (id, user_id, client_id, created_at, expires_at, scope, audience) "
                        + "VALUES (:id, :user, :client, :now, :expires, :scope, :audience)")
                .bind("id", id).bind("user", userId).bind("client", clientId).bind("now", utc(now))
                .bind("expires", utc(expiresAt))
                .bind("scope", Scopes.format(grant.scope())).bind("audience", grant.audience()).execute();
        return true;
    }

    void insertRefreshToken(Handle h, String tokenHash, String sessionId, Instant now, Instant expiresAt) {
        h.createUpdate("INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at) "
                        + "VALUES (:hash, :session, :now, :expires)")
                .bind("hash", tokenHash).bind("session", sessionId).bind("now", utc(now))
                .bind("expires", utc(expiresAt)).execute();
    }

    Optional<RefreshRow> findRefreshToken(Handle h, String tokenHash) {
        return h.createQuery("SELECT r.token_hash, r.session_id, s.user_id, s.client_id, r.issued_at, r.expires_at, "
                        + "r.spent_at, s.expires_at AS session_expires_at, s.ended_at AS session_ended_at, "
                        + "s.scope, s.audience "
                        + "FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id WHERE r.token_hash = :hash")
                .bind("hash", tokenHash)
                .map((rs, ctx) -> new RefreshRow(rs.getString("token_hash"), rs.getString("session_id"),
                        rs.getString("user_id"), rs.getString("client_id"), Timestamps.read(rs, "issued_at"),
                        Timestamps.read(rs, "expires_at"),
                        Timestamps.read(rs, "spent_at"),
                        Timestamps.read(rs, "session_expires_at"),
                        Timestamps.read(rs, "session_ended_at"),
                        rs.getString("scope"), rs.getString("audience")))
                .findOne();
    }

    /** Locks the session row until the transaction ends: refreshes, logouts and password changes serialise on it. */
    Optional<SessionState> lockSession(Handle h, String id) {
        return h.createQuery("SELECT user_id, expires_at, ended_at FROM sessions WHERE id = :id FOR UPDATE")
                .bind("id", id)
                .map((rs, ctx) -> new SessionState(rs.getString("user_id"),
                        Timestamps.read(rs, "expires_at"),
                        Timestamps.read(rs, "ended_at")))
                .findOne();
    }

    /** Spends the token if nobody has: true for exactly one caller, however many race. */
    boolean spend(Handle h, String tokenHash, Instant now) {
        return h.createUpdate("UPDATE refresh_tokens SET spent_at = :now WHERE token_hash = :hash AND spent_at IS NULL")
                .bind("now", utc(now)).bind("hash", tokenHash).execute() == 1;
    }

    Optional<Instant> spentAt(Handle h, String tokenHash) {
        return h.createQuery("SELECT spent_at FROM refresh_tokens WHERE token_hash = :hash")
                .bind("hash", tokenHash)
                .map((rs, ctx) -> Optional.ofNullable(Timestamps.read(rs, "spent_at")))
                .findOne()
                .flatMap(o -> o);
    }

    /** Whether the token is stored and not spent yet. */
    boolean isUnspent(Handle h, String tokenHash) {
        return h.createQuery("SELECT COUNT(*) FROM refresh_tokens WHERE token_hash = :hash AND spent_at IS NULL")
                .bind("hash", tokenHash).mapTo(Integer.class).one() > 0;
    }

    /** Ends a live session; false when it had already ended. */
    boolean endSession(Handle h, String id, Instant now, String reason) {
        return h.createUpdate("UPDATE sessions SET ended_at = :now, end_reason = :reason WHERE id = :id AND ended_at IS NULL")
                .bind("now", utc(now)).bind("reason", reason).bind("id", id).execute() == 1;
    }

    /** The user's sessions that have not ended, locked in id order (every multi-session lock takes that order). */
    List<String> lockLiveSessions(Handle h, String userId) {
        return h.createQuery("SELECT id FROM sessions WHERE user_id = :user AND ended_at IS NULL ORDER BY id FOR UPDATE")
                .bind("user", userId).mapTo(String.class).list();
    }

    /**
     * Live sessions (not ended, not expired), of one user or all, in creation order after {@code after}: at most
     * {@code limit}.
     */
    List<SessionInfo> listLive(Handle h, Optional<String> userId, Optional<Cursor> after, int limit, Instant now) {
        Query q = h.createQuery("SELECT id, user_id, client_id, created_at, expires_at, scope FROM sessions "
                        + "WHERE ended_at IS NULL AND expires_at > :now "
                        + (userId.isPresent() ? "AND user_id = :user " : "")
                        + (after.isPresent() ? "AND (created_at > :at OR (created_at = :at AND id > :id)) " : "")
                        + "ORDER BY created_at, id LIMIT :limit")
                .bind("now", utc(now)).bind("limit", limit);
        userId.ifPresent(u -> q.bind("user", u));
        after.ifPresent(c -> q.bind("at", utc(c.at())).bind("id", c.id()));
        return q.map((rs, ctx) -> new SessionInfo(rs.getString("id"), rs.getString("user_id"),
                        rs.getString("client_id"), Timestamps.read(rs, "created_at"),
                        Timestamps.read(rs, "expires_at"), Scopes.stored(rs.getString("scope"))))
                .list();
    }

    /**
     * Deletes sessions no token can use any more: expired, or ended over a day ago (their refresh tokens go with
     * them by cascade). Spent refresh tokens of live sessions stay: they are what detects a replay.
     */
    int deleteFinished(Handle h, Instant now, Instant endedBefore) {
        return h.createUpdate("DELETE FROM sessions WHERE expires_at < :now OR ended_at < :endedBefore")
                .bind("now", utc(now)).bind("endedBefore", utc(endedBefore)).execute();
    }

    /**
     * Deletes refresh tokens spent before {@code before}: after that, replaying one is refused as an unknown token
     * instead of ending its session as reuse (the retention setting says how long reuse detection lasts).
     */
    int deleteSpentBefore(Handle h, Instant before) {
        return h.createUpdate("DELETE FROM refresh_tokens WHERE spent_at < :before")
                .bind("before", utc(before)).execute();
    }

    /** The user's live sessions (not ended, not expired), oldest first. */
    List<String> liveSessionsOldestFirst(Handle h, String userId, Instant now) {
        return h.createQuery("SELECT id FROM sessions WHERE user_id = :user AND ended_at IS NULL AND expires_at > :now "
                        + "ORDER BY created_at, id")
                .bind("user", userId).bind("now", utc(now)).mapTo(String.class).list();
    }

}
