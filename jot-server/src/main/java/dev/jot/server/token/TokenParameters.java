package dev.jot.server.token;

import java.util.Objects;
import java.util.Optional;

/**
 * What a token request asks of the token, besides the grant itself: {@code scope} (RFC 6749 §3.3, as sent:
 * space-separated), and the API it is for, as {@code resource} (RFC 8707) or {@code audience}. Each is empty when
 * not sent (or sent empty, RFC 6749 §3.2).
 */
public record TokenParameters(Optional<String> scope, Optional<String> resource, Optional<String> audience) {
    /** Nothing asked: the credential's defaults. */
    public static final TokenParameters NONE = new TokenParameters(Optional.empty(), Optional.empty(),
            Optional.empty());

    public TokenParameters {
        scope = Objects.requireNonNull(scope).filter(s -> !s.isEmpty());
        resource = Objects.requireNonNull(resource).filter(s -> !s.isEmpty());
        audience = Objects.requireNonNull(audience).filter(s -> !s.isEmpty());
    }

    /** Whether a target (resource or audience) was named. */
    public boolean namesTarget() {
        return resource.isPresent() || audience.isPresent();
    }

    /**
     * The grant for a credential allowed {@code scopes} and limited to {@code audiences} (empty: any registered
     * API): what was asked if allowed ({@code invalid_scope}, {@code invalid_target} otherwise), else the defaults.
     */
    public Grant grant(TokenPolicy policy, java.util.List<String> scopes, java.util.List<String> audiences) {
        return new Grant(Scopes.grant(scope.flatMap(Scopes::parameter), scopes),
                policy.audience(resource, audience, audiences));
    }
}
