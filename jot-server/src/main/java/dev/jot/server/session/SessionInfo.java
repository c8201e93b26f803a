package dev.jot.server.session;

import java.time.Instant;
import java.util.List;

/** A live session as the admin API shows it: never its tokens. */
public record SessionInfo(String id, String userId, String clientId, Instant createdAt, Instant expiresAt,
                          List<String> scope) {
    public SessionInfo {
        scope = List.copyOf(scope);
    }
}
