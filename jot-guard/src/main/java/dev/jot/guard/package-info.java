/**
 * Bearer-token protection for resource servers, without a web framework: {@link dev.jot.guard.TokenSource} says
 * where tokens are read from (RFC 6750 §2), {@link dev.jot.guard.Guard} verifies them with {@code jot-jwt},
 * caches successful verifications, honours revocation, and answers refusals with the RFC 6750 §3 challenge.
 * A server adapts its request type to {@link dev.jot.guard.GuardRequest}.
 */
package dev.jot.guard;
