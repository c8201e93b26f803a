package dev.jot.server.token;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one access token says (RFC 9068 §2.2). A login's token names the user, their roles and the session; a
 * machine credential's names its {@code client_id} and carries no roles: what it may do is its scope alone.
 *
 * @param subject   {@code sub}: the user's id, or the client's id for a client of the deployment
 * @param username  {@code preferred_username}, for a user's session
 * @param roles     {@code roles}, for a user's session; absent: no {@code roles} claim at all
 * @param clientId  {@code client_id}: {@value TokenService#FIRST_PARTY_CLIENT} for logins, else the credential's id
 * @param grant     {@code scope} and {@code aud}
 * @param sessionId {@code sid}, for a user's session
 */
public record TokenRequest(String subject, Optional<String> username, Optional<List<String>> roles, String clientId,
                           Grant grant, Optional<String> sessionId) {
    public TokenRequest {
        Objects.requireNonNull(subject);
        Objects.requireNonNull(username);
        roles = roles.map(List::copyOf);
        Objects.requireNonNull(clientId);
        Objects.requireNonNull(grant);
        Objects.requireNonNull(sessionId);
    }

    /** A token of a user's session (a password login or a refresh). */
    public static TokenRequest session(Subject user, String sessionId, Grant grant) {
        return new TokenRequest(user.id(), Optional.of(user.username()), Optional.of(user.roles()),
                TokenService.FIRST_PARTY_CLIENT, grant, Optional.of(sessionId));
    }

    /** A token of a machine credential: an API key (subject: its owner) or a client (subject: itself). */
    public static TokenRequest credential(String subject, String clientId, Grant grant) {
        return new TokenRequest(subject, Optional.empty(), Optional.empty(), clientId, grant, Optional.empty());
    }
}
