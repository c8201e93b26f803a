/**
 * Bearer-token protection for resource servers (RFC 6750), with no web framework of its own.
 *
 * <ul>
 * <li>{@link dev.jot.guard.Guard} verifies the token of a {@link dev.jot.guard.GuardRequest} and answers an
 *     {@link dev.jot.guard.AuthResult}: {@code Authenticated} with the verified claims, or {@code Rejected} with
 *     its {@link dev.jot.guard.AuthResult.Reason} (status and stable code) and RFC 6750 §3 challenge, built by
 *     {@link dev.jot.guard.Rejections}. Successful verifications are cached by the token's SHA-256.</li>
 * <li>{@link dev.jot.guard.Guard#forIssuer} needs only the issuer's URL and the API's audience: it reads the
 *     OpenID Connect discovery document, fetches {@code jwks_uri} over {@code https} (or loopback), honours
 *     {@code Cache-Control} and {@code ETag} (RFC 9111), refreshes ahead in the background, refetches at most once
 *     per cooldown for an unknown {@code kid}, and serves the last good set for a bounded time while the issuer is
 *     down. Each key verifies exactly its JWKS {@code alg}; a key without {@code alg} is not used unless the
 *     guard names its algorithms. Tokens must be {@code typ: at+jwt} (RFC 9068 §4) by default.</li>
 * <li>{@link dev.jot.guard.Access} says what a resource needs (a role from the {@code roles} claim, all or any of
 *     some scopes from the {@code scope} claim); {@code requireRole}, {@code requireScope} and
 *     {@code requireAnyScope} refuse with 403 {@code insufficient_scope}.</li>
 * <li>{@link dev.jot.guard.TokenSource} says where tokens are read from: {@code Authorization: Bearer} by
 *     default, opt-in a header, query parameter, cookie, JSON body field or bare {@code Authorization}.</li>
 * <li>{@link dev.jot.guard.RemoteRevocations} subscribes to the issuer's revocation feed (Server-Sent Events) and
 *     is the guard's {@link dev.jot.guard.RevocationCheck}: denials by {@code jti}, {@code sid} or {@code sub},
 *     resumed with {@code Last-Event-ID}, kept or failed closed while disconnected.</li>
 * <li>Adapters: {@link dev.jot.guard.servlet.JotGuardFilter} (Jakarta Servlet 6) and
 *     {@link dev.jot.guard.javalin.JotGuardPlugin} (Javalin 7) apply an ordered list of
 *     {@link dev.jot.guard.AccessRule}s and answer refusals with a {@link dev.jot.guard.ProblemDocument}
 *     (RFC 9457). The frameworks are {@code provided}: the application brings the one it uses.</li>
 * </ul>
 *
 * Logs go to {@link java.lang.System.Logger} (loggers named after the classes); tokens and secrets never do.
 */
package dev.jot.guard;
