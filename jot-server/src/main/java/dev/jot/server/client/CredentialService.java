package dev.jot.server.client;

import dev.jot.server.metrics.Metrics;
import dev.jot.server.audit.AuditEvent;
import dev.jot.server.audit.AuditLog;
import dev.jot.server.client.Credential.Kind;
import dev.jot.server.client.Credential.SecretInfo;
import dev.jot.server.client.CredentialRepository.Match;
import dev.jot.server.config.ScopeToken;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.session.Revocations;
import dev.jot.server.token.AccessToken;
import dev.jot.server.token.Grant;
import dev.jot.server.token.Scopes;
import dev.jot.server.token.TokenParameters;
import dev.jot.server.token.TokenPolicy;
import dev.jot.server.token.TokenRequest;
import dev.jot.server.token.TokenService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One store for machine credentials: API keys, which a user creates to act as themselves with some of their scopes,
 * and OAuth clients, which an admin creates for programs of the deployment. Both hold secrets in the same format
 * ({@link Secrets}), and both trade a secret for an access token: the key at {@code POST /login}, either at
 * {@code POST /oauth2/token} by client credentials. Deleting a credential denies the tokens already issued to it
 * (kind {@code client} of the denylist), on this instance at once and on others through the revocation events.
 */
public final class CredentialService {
    /** API keys one user may hold; checked before an insert, so racing creations may pass it by a few. */
    static final int MAX_API_KEYS = 100;
    /** Live secrets one client may hold: two, the old and the new of a rotation. */
    static final int MAX_SECRETS = 2;

    private final CredentialRepository repo;
    private final LastUsed lastUsed;
    private final TokenService tokens;
    private final TokenPolicy policy;
    private final Revocations revocations;
    private final AuditLog audit;
    private final Duration maxKeyLifetime;
    private final Clock clock;
    private final Metrics metrics;

    public CredentialService(org.jdbi.v3.core.Jdbi jdbi, TokenService tokens, TokenPolicy policy,
                             Revocations revocations, AuditLog audit, Duration maxKeyLifetime, Clock clock,
                             Metrics metrics) {
        this.metrics = metrics;
        this.repo = new CredentialRepository(jdbi);
        this.lastUsed = new LastUsed(repo);
        this.tokens = tokens;
        this.policy = policy;
        this.revocations = revocations;
        this.audit = audit;
        this.maxKeyLifetime = maxKeyLifetime;
        this.clock = clock;
    }

    /** A credential just made, with its secret: the only time the secret is seen. */
    public record Created(Credential credential, String secret) {
        @Override
        public String toString() {
            return "Created[" + credential.id() + "]"; // never the secret
        }
    }

    /** A secret just added to a client: the only time it is seen. */
    public record NewSecret(SecretInfo info, String secret) {
        @Override
        public String toString() {
            return "NewSecret[" + info.id() + "]"; // never the secret
        }
    }

    // ---- API keys (the owner's own) ----

    /**
     * Creates an API key for {@code ownerId}. {@code scopes} must be among the user scopes (all of them when
     * absent); {@code expiresIn} seconds at most the configured maximum (the maximum when absent).
     */
    public Created createApiKey(String ownerId, String rawName, Optional<List<String>> requestedScopes,
                                Optional<List<String>> audiences, Optional<Long> expiresIn, String clientAddress) {
        String name = Names.check(rawName);
        List<String> scopes = requestedScopes.map(Scopes::checked).orElse(policy.userScopes());
        if (scopes.isEmpty()) {
            throw invalidScope("an API key needs at least one scope");
        }
        if (!policy.userScopes().containsAll(scopes)) {
            throw invalidScope("an API key may carry only the user scopes: " + Scopes.format(policy.userScopes()));
        }
        List<String> apis = policy.checkedAudiences(audiences.orElse(List.of()));
        long seconds = expiresIn.orElse(maxKeyLifetime.toSeconds());
        if (seconds < 1 || seconds > maxKeyLifetime.toSeconds()) {
            throw ServerException.badRequest("'expires_in' must be from 1 to " + maxKeyLifetime.toSeconds()
                    + " seconds (--api-key-max-lifetime)");
        }
        if (repo.countApiKeys(ownerId) >= MAX_API_KEYS) {
            throw new ServerException(ServerError.TOO_MANY_API_KEYS, "a user may hold at most " + MAX_API_KEYS
                    + " API keys; delete one first");
        }
        Instant now = now();
        String secret = Secrets.generate();
        SecretInfo info = new SecretInfo(UUID.randomUUID().toString(), Secrets.start(secret), now, Optional.empty());
        Credential key = new Credential(UUID.randomUUID().toString(), Kind.API_KEY, Optional.of(ownerId), name, scopes,
                apis, now, Optional.of(now.plusSeconds(seconds)), List.of(info));
        boolean inserted = repo.inTransaction(h -> {
            if (!repo.insertApiKey(h, key)) {
                return false;
            }
            repo.insertSecret(h, info.id(), key.id(), Secrets.hash(secret), info.start(), now);
            return true;
        });
        if (!inserted) {
            throw new ServerException(ServerError.TOKEN_INVALID, "The account of this token is no longer active");
        }
        audit.record(AuditEvent.API_KEY_CREATED, ownerId, null, clientAddress, key.id());
        return new Created(key, secret);
    }

    /** The user's API keys, oldest first, without secrets. */
    public List<Credential> apiKeys(String ownerId) {
        return repo.list(Kind.API_KEY, Optional.of(ownerId));
    }

    /**
     * Deletes one of the user's keys and denies the tokens issued to it. Another user's key is "not found", never
     * "forbidden": ids of others' keys are not confirmed.
     */
    public void deleteApiKey(String ownerId, String id, String clientAddress) {
        delete(Kind.API_KEY, id, Optional.of(ownerId));
        audit.record(AuditEvent.API_KEY_DELETED, ownerId, null, clientAddress, id);
    }

    // ---- OAuth clients (the deployment's, managed by admins) ----

    /** Creates a client with one secret; {@code scopes} are any scope values but the reserved {@code admin}. */
    public Created createClient(String actorId, String rawName, List<String> requestedScopes,
                                Optional<List<String>> audiences, String clientAddress) {
        String name = Names.check(rawName);
        List<String> scopes = Scopes.checked(requestedScopes);
        if (scopes.isEmpty()) {
            throw invalidScope("a client needs at least one scope");
        }
        if (scopes.contains(ScopeToken.ADMIN)) {
            throw invalidScope("'admin' is a role of people, never a scope of a client");
        }
        List<String> apis = policy.checkedAudiences(audiences.orElse(List.of()));
        Instant now = now();
        String secret = Secrets.generate();
        SecretInfo info = new SecretInfo(UUID.randomUUID().toString(), Secrets.start(secret), now, Optional.empty());
        Credential client = new Credential(UUID.randomUUID().toString(), Kind.CLIENT, Optional.empty(), name, scopes,
                apis, now, Optional.empty(), List.of(info));
        repo.inTransaction(h -> {
            repo.insertClient(h, client);
            repo.insertSecret(h, info.id(), client.id(), Secrets.hash(secret), info.start(), now);
            return null;
        });
        audit.record(AuditEvent.CLIENT_CREATED, null, actorId, clientAddress, client.id());
        return new Created(client, secret);
    }

    /** Every client, oldest first, without secrets. */
    public List<Credential> clients() {
        return repo.list(Kind.CLIENT, Optional.empty());
    }

    public Credential client(String id) {
        return repo.find(id, Kind.CLIENT).orElseThrow(CredentialService::clientNotFound);
    }

    /** Deletes a client and its secrets, and denies every token issued to it. */
    public void deleteClient(String actorId, String id, String clientAddress) {
        delete(Kind.CLIENT, id, Optional.empty());
        audit.record(AuditEvent.CLIENT_DELETED, null, actorId, clientAddress, id);
    }

    /**
     * Adds a secret to a client: the first step of a rotation without downtime (then move the programs to it, then
     * remove the old one). Under the client's row lock, so of two concurrent additions to a client with one secret
     * exactly one succeeds: a client never holds more than {@link #MAX_SECRETS}.
     */
    public NewSecret addSecret(String actorId, String clientId, String clientAddress) {
        Instant now = now();
        String secret = Secrets.generate();
        SecretInfo info = new SecretInfo(UUID.randomUUID().toString(), Secrets.start(secret), now, Optional.empty());
        repo.inTransaction(h -> {
            if (!repo.lock(h, clientId, Kind.CLIENT)) {
                throw clientNotFound();
            }
            if (repo.countSecrets(h, clientId) >= MAX_SECRETS) {
                throw new ServerException(ServerError.TOO_MANY_SECRETS, "a client holds at most " + MAX_SECRETS
                        + " secrets; remove the old one before adding another");
            }
            repo.insertSecret(h, info.id(), clientId, Secrets.hash(secret), info.start(), now);
            return null;
        });
        audit.record(AuditEvent.CLIENT_SECRET_ADDED, null, actorId, clientAddress, clientId + " " + info.id());
        return new NewSecret(info, secret);
    }

    /** Removes one secret of a client; tokens issued with it stay valid (they were issued to the client). */
    public void removeSecret(String actorId, String clientId, String secretId, String clientAddress) {
        repo.inTransaction(h -> {
            if (!repo.lock(h, clientId, Kind.CLIENT)) {
                throw clientNotFound();
            }
            if (!repo.deleteSecret(h, clientId, secretId)) {
                throw new ServerException(ServerError.SECRET_NOT_FOUND, "this client has no secret with that id");
            }
            return null;
        });
        audit.record(AuditEvent.CLIENT_SECRET_REMOVED, null, actorId, clientAddress, clientId + " " + secretId);
    }

    // ---- trading a secret for a token ----

    /**
     * {@code POST /login} with an API key: an access token for the key's owner with the key's scopes. An unknown,
     * expired or deleted key, a client's secret, or a key of a disabled user: all the same 401.
     */
    public AccessToken exchangeApiKey(String key, TokenParameters asked) {
        Match m = authenticate(key).filter(found -> found.kind() == Kind.API_KEY)
                .orElseThrow(() -> new ServerException(ServerError.INVALID_CREDENTIALS, "the API key is not valid"));
        AccessToken token = issue(m, asked);
        metrics.tokenIssued("api_key");
        return token;
    }

    /**
     * The client credentials grant (RFC 6749 §4.4) for a client or an API key (its id as {@code client_id}, the key
     * as {@code client_secret}). An unknown client and a wrong secret are one answer: {@code invalid_client}, as a
     * 401 with a Basic challenge when the client authenticated with HTTP Basic ({@code basic}).
     */
    public AccessToken clientCredentials(String clientId, String secret, boolean basic, TokenParameters asked) {
        AccessToken token = issue(authenticateClient(clientId, secret, basic), asked);
        metrics.tokenIssued("client_credentials");
        return token;
    }

    /**
     * Checks a client's secret (also for RFC 7009 revocation by a confidential client): the credential it belongs
     * to, or {@code invalid_client} whatever was wrong.
     */
    Match authenticateClient(String clientId, String secret, boolean basic) {
        return authenticate(secret).filter(found -> found.credentialId().equals(clientId))
                .orElseThrow(() -> new ServerException(basic ? ServerError.INVALID_CLIENT_BASIC
                        : ServerError.INVALID_CLIENT, "client authentication failed"));
    }

    /** {@link #authenticateClient(String, String, boolean)} for callers that only need the check. */
    public void checkClient(String clientId, String secret, boolean basic) {
        authenticateClient(clientId, secret, basic);
    }

    /** The credential a secret belongs to, if it is usable now: one SHA-256 and one indexed read. */
    private Optional<Match> authenticate(String secret) {
        if (!Secrets.wellFormed(secret)) {
            return Optional.empty(); // a typo or not ours at all: no lookup
        }
        Instant now = clock.instant();
        return repo.findBySecretHash(Secrets.hash(secret))
                .filter(m -> m.ownerActive() && (m.expiresAt() == null || now.isBefore(m.expiresAt())));
    }

    private AccessToken issue(Match m, TokenParameters asked) {
        // A key keeps only the scopes users may still have: the user scopes are a setting, and may have shrunk.
        List<String> allowed = m.kind() == Kind.API_KEY ? policy.stillAllowedForUsers(m.scopes()) : m.scopes();
        Grant grant = asked.grant(policy, allowed, m.audiences());
        String subject = m.kind() == Kind.API_KEY ? m.ownerId() : m.credentialId();
        AccessToken token = tokens.issue(TokenRequest.credential(subject, m.credentialId(), grant));
        lastUsed.touch(m.secretId(), m.lastUsedAt(), clock.instant());
        return token;
    }

    private void delete(Kind kind, String id, Optional<String> ownerId) {
        boolean deleted = repo.inTransaction(h -> {
            if (!repo.delete(h, id, kind, ownerId)) {
                return false;
            }
            revocations.denyIssuedUpToNow(h, Revocations.Kind.client, id);
            return true;
        });
        if (!deleted) {
            throw kind == Kind.CLIENT ? clientNotFound()
                    : new ServerException(ServerError.API_KEY_NOT_FOUND, "you have no API key with that id");
        }
        revocations.applyIssuedUpToNow(Revocations.Kind.client, id);
    }

    private static ServerException clientNotFound() {
        return new ServerException(ServerError.CLIENT_NOT_FOUND, "there is no client with that id");
    }

    private static ServerException invalidScope(String detail) {
        return new ServerException(ServerError.INVALID_SCOPE, detail);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS); // what PostgreSQL keeps
    }
}
