package dev.jot.server.client;

import static dev.jot.server.store.Timestamps.utc;

import dev.jot.server.client.Credential.Kind;
import dev.jot.server.client.Credential.SecretInfo;
import dev.jot.server.store.Timestamps;
import dev.jot.server.token.Scopes;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** SQL for {@code credentials} and {@code credential_secrets}. */
final class CredentialRepository {
    private static final String COLUMNS = "c.id, c.kind, c.owner_id, c.name, c.scopes, c.audiences, c.created_at, "
            + "c.expires_at";

    /**
     * What the lookup of a presented secret finds: the secret's credential, and for an API key whether its owner is
     * still an enabled user ({@code ownerActive}; always true for a client).
     */
    record Match(String secretId, Instant lastUsedAt, String credentialId, Kind kind, String ownerId,
                 List<String> scopes, List<String> audiences, Instant expiresAt, boolean ownerActive) {
    }

    private final Jdbi jdbi;

    CredentialRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    <T> T inTransaction(java.util.function.Function<Handle, T> work) {
        return jdbi.inTransaction(work::apply);
    }

    /**
     * The one read of a token request: the secret by its hash (the UNIQUE index), with its credential and the
     * API key's owner in the same statement.
     */
    Optional<Match> findBySecretHash(String hash) {
        // Plain JDBC on the handle's connection: this read is on the path of every token request, and Jdbi's
        // statement machinery (binding, result iteration, mapping) cost as much as the query itself.
        return jdbi.withHandle(h -> {
            try (PreparedStatement ps = h.getConnection().prepareStatement(FIND_BY_SECRET_HASH)) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(match(rs)) : Optional.<Match>empty();
                }
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException(e, null); // as Jdbi reports it: the error mapping knows it
            }
        });
    }

    private static final String FIND_BY_SECRET_HASH = "SELECT s.id AS secret_id, s.last_used_at, c.id, c.kind, "
            + "c.owner_id, c.scopes, c.audiences, c.expires_at, u.disabled AS owner_disabled "
            + "FROM credential_secrets s JOIN credentials c ON c.id = s.credential_id "
            + "LEFT JOIN users u ON u.id = c.owner_id WHERE s.secret_hash = ?";

    private static Match match(ResultSet rs) throws SQLException {
        Kind kind = Kind.fromStored(rs.getString("kind"));
        boolean ownerDisabled = rs.getBoolean("owner_disabled");
        boolean ownerMissing = rs.wasNull();
        return new Match(rs.getString("secret_id"), Timestamps.read(rs, "last_used_at"), rs.getString("id"), kind,
                rs.getString("owner_id"), Scopes.stored(rs.getString("scopes")),
                Scopes.stored(rs.getString("audiences")), Timestamps.read(rs, "expires_at"),
                kind == Kind.CLIENT || !ownerMissing && !ownerDisabled);
    }

    /**
     * Inserts an API key for {@code c.ownerId()} only if that user exists and is enabled (a token of a user disabled
     * or deleted a moment ago must not create keys); false when it was not inserted.
     */
    boolean insertApiKey(Handle h, Credential c) {
        return h.createUpdate("INSERT INTO credentials (id, kind, owner_id, name, scopes, audiences, created_at, "
                        + "expires_at) SELECT :id, :kind, :owner, :name, :scopes, :audiences, :created, :expires "
                        + "FROM users WHERE id = :owner AND disabled = FALSE")
                .bind("id", c.id()).bind("kind", Kind.API_KEY.stored()).bind("owner", c.ownerId().orElseThrow())
                .bind("name", c.name()).bind("scopes", Scopes.format(c.scopes()))
                .bind("audiences", String.join(" ", c.audiences())).bind("created", utc(c.createdAt()))
                .bind("expires", utc(c.expiresAt().orElse(null)))
                .execute() == 1;
    }

    void insertClient(Handle h, Credential c) {
        h.createUpdate("INSERT INTO credentials (id, kind, name, scopes, audiences, created_at) "
                        + "VALUES (:id, :kind, :name, :scopes, :audiences, :created)")
                .bind("id", c.id()).bind("kind", Kind.CLIENT.stored()).bind("name", c.name())
                .bind("scopes", Scopes.format(c.scopes())).bind("audiences", String.join(" ", c.audiences()))
                .bind("created", utc(c.createdAt()))
                .execute();
    }

    void insertSecret(Handle h, String id, String credentialId, String hash, String start, Instant now) {
        h.createUpdate("INSERT INTO credential_secrets (id, credential_id, secret_hash, start, created_at) "
                        + "VALUES (:id, :credential, :hash, :start, :now)")
                .bind("id", id).bind("credential", credentialId).bind("hash", hash).bind("start", start)
                .bind("now", utc(now))
                .execute();
    }

    /** How many API keys {@code ownerId} holds. */
    int countApiKeys(String ownerId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM credentials WHERE owner_id = :owner")
                .bind("owner", ownerId).mapTo(Integer.class).one());
    }

    /**
     * Locks the credential's row until the transaction ends (adding and removing secrets serialise on it); false
     * when there is no such credential of that kind.
     */
    boolean lock(Handle h, String id, Kind kind) {
        return h.createQuery("SELECT id FROM credentials WHERE id = :id AND kind = :kind FOR UPDATE")
                .bind("id", id).bind("kind", kind.stored()).mapTo(String.class).findOne().isPresent();
    }

    int countSecrets(Handle h, String credentialId) {
        return h.createQuery("SELECT COUNT(*) FROM credential_secrets WHERE credential_id = :id")
                .bind("id", credentialId).mapTo(Integer.class).one();
    }

    boolean deleteSecret(Handle h, String credentialId, String secretId) {
        return h.createUpdate("DELETE FROM credential_secrets WHERE credential_id = :credential AND id = :id")
                .bind("credential", credentialId).bind("id", secretId).execute() == 1;
    }

    /**
     * Deletes a credential of {@code kind} (of {@code ownerId} when given), its secrets with it; false when there
     * was no such credential.
     */
    boolean delete(Handle h, String id, Kind kind, Optional<String> ownerId) {
        return h.createUpdate("DELETE FROM credentials WHERE id = :id AND kind = :kind"
                        + (ownerId.isPresent() ? " AND owner_id = :owner" : ""))
                .bind("id", id).bind("kind", kind.stored())
                .bindMap(ownerId.isPresent() ? Map.of("owner", ownerId.get()) : Map.of())
                .execute() == 1;
    }

    /** The credentials of {@code kind} (of {@code ownerId} when given), oldest first, with their secrets. */
    List<Credential> list(Kind kind, Optional<String> ownerId) {
        return jdbi.withHandle(h -> withSecrets(h, h.createQuery("SELECT " + COLUMNS + " FROM credentials c "
                        + "WHERE c.kind = :kind" + (ownerId.isPresent() ? " AND c.owner_id = :owner" : "")
                        + " ORDER BY c.created_at, c.id")
                .bind("kind", kind.stored())
                .bindMap(ownerId.isPresent() ? Map.of("owner", ownerId.get()) : Map.of())
                .map((rs, ctx) -> credential(rs)).list()));
    }

    Optional<Credential> find(String id, Kind kind) {
        return jdbi.withHandle(h -> withSecrets(h, h.createQuery("SELECT " + COLUMNS + " FROM credentials c "
                        + "WHERE c.id = :id AND c.kind = :kind")
                .bind("id", id).bind("kind", kind.stored())
                .map((rs, ctx) -> credential(rs)).list()).stream().findFirst());
    }

    /** Records a use of the secret unless one at or after {@code notBefore} is stored already. */
    void touch(String secretId, Instant now, Instant notBefore) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE credential_secrets SET last_used_at = :now "
                        + "WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :notBefore)")
                .bind("now", utc(now)).bind("id", secretId).bind("notBefore", utc(notBefore))
                .execute());
    }

    private static List<Credential> withSecrets(Handle h, List<Credential> credentials) {
        if (credentials.isEmpty()) {
            return credentials;
        }
        Map<String, List<SecretInfo>> secrets = new LinkedHashMap<>();
        credentials.forEach(c -> secrets.put(c.id(), new ArrayList<>()));
        h.createQuery("SELECT credential_id, id, start, created_at, last_used_at FROM credential_secrets "
                        + "WHERE credential_id IN (<ids>) ORDER BY created_at, id")
                .bindList("ids", List.copyOf(secrets.keySet()))
                .map((rs, ctx) -> Map.entry(rs.getString("credential_id"), new SecretInfo(rs.getString("id"),
                        rs.getString("start"), Timestamps.read(rs, "created_at"),
                        Optional.ofNullable(Timestamps.read(rs, "last_used_at")))))
                .forEach(e -> secrets.get(e.getKey()).add(e.getValue()));
        return credentials.stream().map(c -> c.withSecrets(secrets.get(c.id()))).toList();
    }

    private static Credential credential(ResultSet rs) throws SQLException {
        return new Credential(rs.getString("id"), Kind.fromStored(rs.getString("kind")),
                Optional.ofNullable(rs.getString("owner_id")), rs.getString("name"),
                Scopes.stored(rs.getString("scopes")), Scopes.stored(rs.getString("audiences")),
                Timestamps.read(rs, "created_at"), Optional.ofNullable(Timestamps.read(rs, "expires_at")), List.of());
    }
}
