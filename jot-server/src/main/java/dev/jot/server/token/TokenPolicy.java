package dev.jot.server.token;

import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Which scopes and audiences tokens may carry. Users may have the {@code --user-scopes}; machine credentials the
 * scopes they were given. The APIs a token can be for are registered by {@code --api} (the first is the default
 * audience); with none, tokens are for the server's own audience ({@code --audience}, or the issuer) as before.
 * The server's own audience is always a valid target, and the server accepts tokens for any of these: its routes
 * decide by scope and role what a token may do there.
 */
public final class TokenPolicy {
    private final List<String> userScopes;
    private final String ownAudience;
    private final List<String> apis;
    /** The server's own audience and the APIs: asked on every token request, so made once. */
    private final List<String> audiences;

    public TokenPolicy(List<String> userScopes, String ownAudience, List<String> apis) {
        this.userScopes = List.copyOf(new LinkedHashSet<>(userScopes));
        this.ownAudience = ownAudience;
        this.apis = apis == null ? List.of() : List.copyOf(new LinkedHashSet<>(apis));
        LinkedHashSet<String> all = new LinkedHashSet<>();
        all.add(ownAudience);
        all.addAll(this.apis);
        this.audiences = List.copyOf(all);
    }

    /** The scopes a user's token (and a user's API key) may carry, and a login's default set. */
    public List<String> userScopes() {
        return userScopes;
    }

    /** The {@code aud} of a token whose request named none. */
    public String defaultAudience() {
        return apis.isEmpty() ? ownAudience : apis.getFirst();
    }

    /** Every audience a token can be issued for: the server's own and the registered APIs. */
    public List<String> audiences() {
        return audiences;
    }

    /** The scopes to list in the metadata ({@code scopes_supported}, RFC 8414 §2). */
    public List<String> scopesSupported() {
        LinkedHashSet<String> all = new LinkedHashSet<>(userScopes);
        all.add(Scopes.INTROSPECT);
        all.add(Scopes.REVOCATIONS);
        all.add(Scopes.USAGE);
        return List.copyOf(all);
    }

    /**
     * The audiences a credential may be limited to, checked: each must be a registered audience
     * ({@code invalid_target}); duplicates dropped.
     */
    public List<String> checkedAudiences(List<String> wanted) {
        if (wanted.size() > 16) {
            throw invalidTarget("a credential may be limited to at most 16 APIs");
        }
        for (String a : wanted) {
            if (!audiences().contains(a)) {
                throw invalidTarget("an audience is not a registered API (--api)");
            }
        }
        return List.copyOf(new LinkedHashSet<>(wanted));
    }

    /**
     * The audience of a token request: the one named by {@code resource} (RFC 8707) or {@code audience} (RFC 8693
     * §2.1; if both are given they must agree), else the credential's first allowed audience, else the default.
     * {@code limitedTo} empty means every registered audience. A target the server does not know, or the
     * credential may not name, is {@code invalid_target} (RFC 8707 §2).
     */
    public String audience(Optional<String> resource, Optional<String> audience, List<String> limitedTo) {
        if (resource.isPresent() && audience.isPresent() && !resource.get().equals(audience.get())) {
            throw ServerException.badRequest("'resource' and 'audience' name different targets; send one");
        }
        Optional<String> named = resource.or(() -> audience);
        if (named.isEmpty()) {
            return limitedTo.isEmpty() ? defaultAudience() : limitedTo.getFirst();
        }
        String target = named.get();
        if (!audiences().contains(target)) {
            throw invalidTarget("the requested resource is not an API this server issues tokens for");
        }
        if (!limitedTo.isEmpty() && !limitedTo.contains(target)) {
            throw invalidTarget("this credential may not request tokens for that resource");
        }
        return target;
    }

    /** The current user scopes among {@code stored}: a credential keeps only what users may still have. */
    public List<String> stillAllowedForUsers(List<String> stored) {
        List<String> kept = new ArrayList<>(stored);
        kept.retainAll(userScopes);
        return kept;
    }

    private static ServerException invalidTarget(String detail) {
        return new ServerException(ServerError.INVALID_TARGET, detail);
    }
}
