package dev.jot.server.token;

import java.util.List;
import java.util.Objects;

/**
 * Whom an access token is about: the stable id that becomes {@code sub} (RFC 9068 §2.2), the username shown as
 * {@code preferred_username}, and the roles the token carries.
 */
public record Subject(String id, String username, List<String> roles) {
    public Subject {
        Objects.requireNonNull(id);
        Objects.requireNonNull(username);
        roles = List.copyOf(roles);
    }
}
