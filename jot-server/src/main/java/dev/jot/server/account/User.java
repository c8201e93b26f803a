package dev.jot.server.account;

import java.time.Instant;
import java.util.List;

/** A stored account. {@code id} is the stable subject of tokens; the username may change in later versions. */
public record User(String id, String username, String passwordHash, List<String> roles, Instant createdAt,
                   boolean disabled) {
    public User {
        roles = List.copyOf(roles);
    }
}
