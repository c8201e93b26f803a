package dev.jot.server.account;

import dev.jot.server.store.Timestamps;
import dev.jot.server.store.Database;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** SQL for {@code users}. */
public final class UserRepository {
    private static final String COLUMNS = "id, username, password_hash, roles, created_at, disabled";

    private final Jdbi jdbi;

    public UserRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Inserts the user; false when the normalised username is taken, or one that looks like it (its UTS #39
     * skeleton, {@link Usernames#skeleton}): the UNIQUE constraints decide races.
     */
    public boolean insert(User u, String usernameNormalized) {
        try {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO users (id, username_normalized, username_skeleton, username, "
                            + "password_hash, roles, created_at, disabled) "
                            + "VALUES (:id, :norm, :skeleton, :name, :hash, :roles, :created, :disabled)")
                    .bind("id", u.id()).bind("norm", usernameNormalized)
                    .bind("skeleton", Usernames.skeleton(usernameNormalized)).bind("name", u.username())
                    .bind("hash", u.passwordHash()).bind("roles", String.join(",", u.roles()))
                    .bind("created", Timestamps.utc(u.createdAt()))
                    .bind("disabled", u.disabled())
                    .execute());
            return true;
        } catch (UnableToExecuteStatementException e) {
            if (Database.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Gives every user from before skeletons were stored ({@code V7_1}) theirs; one whose skeleton an earlier user
     * already has keeps none (both were registered before the rule). Cheap once done: one query that finds no row.
     */
    public int fillMissingSkeletons() {
        List<String[]> missing = jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, username_normalized FROM users WHERE username_skeleton IS NULL ORDER BY created_at, id")
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).list());
        int filled = 0;
        for (String[] row : missing) {
            try {
                filled += jdbi.withHandle(h -> h.createUpdate(
                                "UPDATE users SET username_skeleton = :s WHERE id = :id AND username_skeleton IS NULL")
                        .bind("s", Usernames.skeleton(row[1])).bind("id", row[0]).execute());
            } catch (UnableToExecuteStatementException e) {
                if (!Database.isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
        return filled;
    }

    public Optional<User> findByNormalizedUsername(String normalized) {
        return findOne("username_normalized", normalized);
    }

    /** The user a token's {@code sub} names. */
    public Optional<User> findById(String id) {
        return findOne("id", id);
    }

    private Optional<User> findOne(String column, String value) {
        // column is one of the two constants above, never input
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE " + column + " = :v")
                .bind("v", value).map((rs, ctx) -> new User(rs.getString("id"), rs.getString("username"),
                        rs.getString("password_hash"), roles(rs.getString("roles")),
                        Timestamps.read(rs, "created_at"), rs.getBoolean("disabled")))
                .findOne());
    }

    /**
     * Replaces the hash only if it is still {@code expected}: a login's rehash must not undo a password change
     * that committed while the login was hashing. False when it was not replaced.
     */
    public boolean replacePasswordHash(String id, String expected, String hash) {
        return jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE users SET password_hash = :hash WHERE id = :id AND password_hash = :expected")
                .bind("hash", hash).bind("id", id).bind("expected", expected).execute()) == 1;
    }

    /**
     * Sets a new password hash in the caller's transaction if the current one is still {@code expected} (two
     * changes at once: one wins); false when it was not set.
     */
    public boolean updatePassword(Handle tx, String id, String expected, String hash, Instant now) {
        return tx.createUpdate("UPDATE users SET password_hash = :hash, password_changed_at = :now "
                        + "WHERE id = :id AND password_hash = :expected")
                .bind("hash", hash).bind("now", Timestamps.utc(now.truncatedTo(ChronoUnit.MICROS))).bind("id", id)
                .bind("expected", expected).execute() == 1;
    }

    /** Runs {@code work} in one transaction on this repository's database (for changes that span areas). */
    public <T> T inTransaction(Function<Handle, T> work) {
        return jdbi.inTransaction(work::apply);
    }

    /** Replaces the user's roles; false when no such user. */
    public boolean setRoles(String id, List<String> roles) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE users SET roles = :roles WHERE id = :id")
                .bind("roles", String.join(",", roles)).bind("id", id).execute()) == 1;
    }

    /** Disables or re-enables the account; false when no such user. */
    public boolean setDisabled(String id, boolean disabled) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE users SET disabled = :d WHERE id = :id")
                .bind("d", disabled).bind("id", id).execute()) == 1;
    }

    public long count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one());
    }

    private static List<String> roles(String csv) {
        return csv == null || csv.isEmpty() ? List.of() : Arrays.asList(csv.split(","));
    }
}
