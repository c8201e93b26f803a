package dev.jot.server.token;

import java.util.List;
import java.util.Objects;

/** What a token request was granted: its scope values and the one audience (API) the token is for. */
public record Grant(List<String> scope, String audience) {
    public Grant {
        scope = List.copyOf(scope);
        Objects.requireNonNull(audience);
    }
}
