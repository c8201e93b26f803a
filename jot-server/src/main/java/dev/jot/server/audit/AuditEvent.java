package dev.jot.server.audit;

import java.time.Instant;

/**
 * One audit row. {@code userId} is the user the event is about, {@code actorId} the admin who caused it (null for a
 * user's own actions, the CLI and the server itself). {@code detail} is a short reason or the ids involved, never
 * a credential. {@code id} orders events (0 before the row is stored).
 */
public record AuditEvent(long id, Instant at, String event, String userId, String actorId, String clientAddress,
                         String detail) {
    public static final String REGISTER = "register";
    public static final String LOGIN_SUCCESS = "login_success";
    public static final String LOGIN_FAILURE = "login_failure";
    public static final String ROLE_GRANTED = "role_granted";
    public static final String PASSWORD_CHANGED = "password_changed";
    public static final String PASSWORD_CHANGE_FAILURE = "password_change_failure";
    public static final String REFRESH_REUSE = "refresh_reuse";
    public static final String LOGOUT = "logout";
    public static final String LOGOUT_ALL = "logout_all";
    public static final String KEY_ROTATED = "key_rotated";
    // ---- machine credentials (the detail names the key or client) ----
    public static final String API_KEY_CREATED = "api_key_created";
    public static final String API_KEY_DELETED = "api_key_deleted";
    public static final String CLIENT_CREATED = "client_created";
    public static final String CLIENT_DELETED = "client_deleted";
    public static final String CLIENT_SECRET_ADDED = "client_secret_added";
    public static final String CLIENT_SECRET_REMOVED = "client_secret_removed";
    // ---- administration (actorId: the admin) ----
    public static final String ROLE_REVOKED = "role_revoked";
    public static final String USER_CREATED = "user_created";
    public static final String USER_DISABLED = "user_disabled";
    public static final String USER_ENABLED = "user_enabled";
    public static final String USER_DELETED = "user_deleted";
    public static final String SESSION_REVOKED = "session_revoked";
}
