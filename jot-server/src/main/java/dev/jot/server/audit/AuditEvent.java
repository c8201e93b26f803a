package dev.jot.server.audit;

import java.time.Instant;

/** One audit row. {@code detail} is a short reason code, never a credential. */
public record AuditEvent(Instant at, String event, String userId, String clientAddress, String detail) {
    public static final String REGISTER = "register";
    public static final String LOGIN_SUCCESS = "login_success";
    public static final String LOGIN_FAILURE = "login_failure";
}
