package dev.jot.server;

import dev.jot.server.account.User;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.keys.KeyMaker;
import dev.jot.server.keys.KeyRing;
import dev.jot.server.keys.Rotation;
import dev.jot.server.store.Database;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * The server's services without HTTP, for {@code jot admin}: opens the database a server uses (migrating it as a
 * start would) and changes it the way the server's own code does. On PostgreSQL a running server learns of each
 * change at once ({@code keys} events, see {@link dev.jot.server.store.ClusterEvents}); the embedded H2 database
 * can only be opened by one process, so there the server must be stopped first.
 */
public final class Admin implements AutoCloseable {
    /** H2's {@code ErrorCode.DATABASE_ALREADY_OPEN_1}: another process holds the database file's lock. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private final Services services;

    private Admin(Services services) {
        this.services = services;
    }

    public static Admin open(ServerConfig config) {
        return open(config, Clock.systemUTC());
    }

    /** Opens the configured database; fails with a {@link ServerException} saying why and what to do. */
    public static Admin open(ServerConfig config, Clock clock) {
        Path dataDir = config.dataDir().toAbsolutePath().normalize();
        if (config.dbUrl() == null && config.embeddedDatabaseIsNew()) {
            // An admin command on a mistyped directory would otherwise create an empty database there.
            throw new ServerException(ServerError.NO_DATABASE, "there is no Jot database in " + dataDir
                    + " (--data-dir / JOT_DATA_DIR): check the directory, or run 'jot serve' there once");
        }
        try {
            DataDirectory.prepare(dataDir); // PostgreSQL may still keep its master key file there
        } catch (StartupException e) {
            throw new ServerException(ServerError.DATA_DIRECTORY, e.getMessage());
        }
        Database db = openDatabase(config, dataDir);
        try {
            return new Admin(Services.create(config, db, config.port(), clock, new KeyMaker(config.signingAlg()),
                    new dev.jot.server.metrics.Metrics()));
        } catch (RuntimeException e) {
            db.close();
            throw new ServerException(ServerError.STARTUP, "cannot use the database " + config.printableDbUrl() + ": "
                    + rootMessage(e));
        }
    }

    private static Database openDatabase(ServerConfig config, Path dataDir) {
        try {
            return Database.open(config);
        } catch (RuntimeException e) {
            if (config.dbUrl() == null && h2DatabaseInUse(e)) {
                throw new ServerException(ServerError.DATABASE_IN_USE, "the embedded database in " + dataDir + " is open in "
                        + "another process, most likely a running 'jot serve' (H2 lets one process at a time open "
                        + "it). Stop the server and run the command again, or use PostgreSQL (--db-url / JOT_DB_URL) "
                        + "where admin commands work beside running servers.");
            }
            throw new ServerException(ServerError.DATABASE_UNAVAILABLE, "cannot open the database " + config.printableDbUrl() + ": "
                    + rootMessage(e));
        }
    }

    private static boolean h2DatabaseInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
                return true;
            }
        }
        return false;
    }

    /**
     * Rotates the signing keys now: the next key signs, the active one retires (published until its tokens have
     * expired), and a new next key is published. See {@link Rotation#early()}.
     */
    public Rotation rotateKeys() {
        return services.keys().rotateNow();
    }

    /** The signing keys as they are now. */
    public KeyRing keys() {
        return services.keys().ring();
    }

    /** Adds {@code role} to a user's roles (their tokens carry it from their next login or refresh). */
    public User grantRole(String username, String role) {
        return services.accounts().grantRole(username, role);
    }

    /** Removes {@code role} from a user's roles (from their next token); never the last enabled admin's admin. */
    public User revokeRole(String username, String role) {
        return services.userAdministration().revokeRole(username, role);
    }

    /**
     * Creates an account with {@code roles}, whatever {@code --registration} says (the first admin, say). The
     * password comes from the caller's stdin or prompt, never from the command line.
     */
    public User createUser(String username, String password, List<String> roles) {
        return services.userAdministration().create(null, username, password, roles, null);
    }

    /**
     * Disables an account: its sessions end and its tokens are refused (at once on PostgreSQL servers; an H2
     * server was stopped to run this, and its denials are in the database it reopens).
     */
    public User disableUser(String username) {
        return services.userAdministration().disable(username);
    }

    /** Re-enables a disabled account: it may log in again. */
    public User enableUser(String username) {
        return services.userAdministration().enable(username);
    }

    /**
     * Forgets the throttle's failures for the account named {@code username} (known or not) and for every address's
     * pair with it: its next login is judged afresh. The number of throttle keys that had failures.
     */
    public int unlock(String username) {
        return services.accounts().unlock(username);
    }

    /**
     * The requests of the user named {@code username} (as subject) per hour and status class since {@code since}
     * before now, as {@code GET /admin/usage?subject=…&granularity=hour} reads them.
     */
    public java.util.List<dev.jot.server.usage.UsageService.UsagePoint> hourlyUsage(String username,
                                                                                  java.time.Duration since) {
        User user = services.accounts().byName(username);
        java.time.Instant now = services.usage().clock().instant();
        return services.usage().read(new dev.jot.server.usage.UsageService.Query(java.util.Map.of("subject", user.id()),
                now.minus(since), now, dev.jot.server.usage.UsageService.Granularity.hour, null), 100_000);
    }

    @Override
    public void close() {
        services.database().close();
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
