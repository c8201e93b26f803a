package dev.jot.server.account;

import dev.jot.server.token.Subject;
import java.time.Instant;
import java.util.List;

/** A stored account. {@code id} is the stable subject of tokens; the username may change in later versions. */
public record User(String id, String username, String passwordHash, List<String> roles, Instant createdAt,
                   boolean disabled) {
    public User {
        roles = List.copyOf(roles);
    }

    /** What an access token says about this user. */
    public Subject subject() {
        return new Subject(id, username, roles);
    }

    @Override
    public String toString() {
        return "User[id=" + id + ", username=" + username + ", roles=" + roles + ", disabled=" + disabled + "]";
    }
}
