package dev.jot.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.jot.server.config.ServerConfig;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The connection pool, the migrated schema and the Jdbi handle the repositories share. */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final String url;
    private final Flyway flyway;

    private Database(HikariDataSource dataSource, String url, Flyway flyway) {
        this.dataSource = dataSource;
        this.flyway = flyway;
        this.jdbi = Jdbi.create(dataSource);
        // Jdbi's exception messages list the bound arguments by default (password hashes, refresh-token hashes,
        // encrypted private keys), and the error mapping logs unexpected exceptions whole: never the arguments.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
        this.url = url;
    }

    /** Opens the pool and applies pending migrations ({@code db/migration}); closes the pool if that fails. */
    public static Database open(ServerConfig config) {
        return open(config, null);
    }

    /**
     * As {@link #open(ServerConfig)}, with the pool's meters ({@code hikaricp_connections_*}, pool {@code jot-db})
     * on {@code registry} when not null.
     */
    public static Database open(ServerConfig config, io.micrometer.core.instrument.MeterRegistry registry) {
        HikariConfig hc = new HikariConfig();
        if (registry != null) {
            hc.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(registry));
        }
        hc.setJdbcUrl(config.effectiveDbUrl());
        hc.setUsername(config.dbUser());
        hc.setPassword(config.dbPassword());
        hc.setPoolName("jot-db");
        hc.setMaximumPoolSize(10);
        hc.setConnectionTimeout(10_000);
        HikariDataSource ds = new HikariDataSource(hc);
        try {
            // db/migration holds what is the same on H2 (MODE=PostgreSQL) and PostgreSQL; db/vendor/<vendor> the few
            // migrations that differ (h2, postgresql), numbered among the others.
            String vendor = config.effectiveDbUrl().startsWith("jdbc:postgresql:") ? "postgresql" : "h2";
            Flyway flyway = Flyway.configure().dataSource(ds)
                    .locations("classpath:db/migration", "classpath:db/vendor/" + vendor).load();
            flyway.migrate();
            if (config.dbUrl() == null) {
                ownerOnly(config.dataDir());
            }
            return new Database(ds, config.printableDbUrl(), flyway);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /**
     * The embedded database's files hold password hashes and encrypted keys: owner-only, like the data directory
     * they are in (H2 creates them with the process's umask).
     */
    private static void ownerOnly(java.nio.file.Path dataDir) {
        try (var files = java.nio.file.Files.list(dataDir.toAbsolutePath().normalize())) {
            for (java.nio.file.Path f : files.filter(p -> p.getFileName().toString().matches("jot\\..*db")).toList()) {
                dev.jot.server.config.FilePermissions.restrictToOwner(f);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot restrict the database files in " + dataDir + " to their owner: " + e, e);
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /**
     * Whether the database's schema has every migration this server knows applied (none pending), as the schema
     * history table says now; a failure to ask (the database is down) throws.
     */
    public boolean migrationsApplied() {
        return flyway.info().pending().length == 0;
    }

    /** The JDBC URL with any password masked, fit for a start-up line. */
    public String url() {
        return url;
    }

    /** True when the failure is a unique-constraint violation (SQLSTATE 23505 on both H2 and PostgreSQL). */
    public static boolean isUniqueViolation(UnableToExecuteStatementException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when {@code e} comes from not reaching the database (no connection, pool closed or timed out, SQLSTATE
     * class 08 connection exceptions, 57P01-03 server shutdown) rather than from a statement it refused.
     */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.jdbi.v3.core.ConnectionException || t instanceof java.sql.SQLTransientConnectionException
                    || t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P0"))) {
                return true;
            }
            if (t instanceof SQLException s && s.getMessage() != null && s.getMessage().contains("has been closed")) {
                return true; // HikariCP after shutdown
            }
        }
        return false;
    }

    /**
     * True when the database refused a statement because of a concurrent one (deadlock, serialization failure,
     * lock timeout): the request can simply be retried.
     */
    public static boolean isTransientConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().equals("40001") || s.getSQLState().equals("40P01") || s.getSQLState().equals("HYT00"))) {
                return true;
            }
        }
        return false;
    }

    public static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
