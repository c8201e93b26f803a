package dev.jot.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL schema for one test, as jot-server's tests make them ({@code JOT_TEST_DB_URL}, default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code JOT_TEST_DB_USER}, default {@code postgres}).
 * Unreachable: with {@code CI=true} the test fails, otherwise it is skipped.
 */
record PostgresSchema(String url, String schema) implements AutoCloseable {
    static final String BASE = env("JOT_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = env("JOT_TEST_DB_USER", "postgres");
    static final String PASSWORD = env("JOT_TEST_DB_PASSWORD", "");

    static PostgresSchema create() {
        String schema = "jot_cli_test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(BASE, USER, PASSWORD)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String msg = "PostgreSQL not reachable at " + BASE + " as " + USER + " (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(msg + ": CI=true requires PostgreSQL", e);
            }
            Assumptions.abort(msg + ": skipping PostgreSQL tests");
        }
        return new PostgresSchema(BASE + (BASE.contains("?") ? "&" : "?") + "currentSchema=" + schema, schema);
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(BASE, USER, PASSWORD)) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            System.err.println("could not drop test schema " + schema + ": " + e.getMessage());
        }
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }
}
