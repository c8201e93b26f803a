package dev.jot.guard;

import dev.jot.jwt.VerifiedJwt;

/**
 * Says whether a verified token has been revoked, typically by its {@code jti} (RFC 7519 §4.1.7) or by its
 * session. The guard calls it on every request, cache hits included, so a revocation takes effect on the very
 * next request. It runs on the request path: keep it fast (an in-memory set kept current by notifications).
 * An exception it throws is not caught: a guard that cannot tell whether a token is revoked does not let it in.
 */
@FunctionalInterface
public interface RevocationCheck {

    /** A check that never revokes anything. */
    RevocationCheck NONE = jwt -> false;

    boolean isRevoked(VerifiedJwt jwt);
}
