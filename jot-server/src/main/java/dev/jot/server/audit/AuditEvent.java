package dev.jot.server.audit;

import java.time.Instant;

/** One audit row. {@code detail} is a short reason code, never a credential. */
public record AuditEvent(Instant at, String event, String userId, String clientAddress, String detail) {
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
}
