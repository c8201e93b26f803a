package dev.jot.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fresh PostgreSQL schema per test, so runs never collide. Connects to {@code JOT_TEST_DB_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}) as {@code JOT_TEST_DB_USER} (default {@code postgres}).
 * When the database is unreachable: with {@code CI=true} the test fails; otherwise it is skipped, loudly.
 */
public final class PostgresSchemas {
    public static final String URL = env("JOT_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = env("JOT_TEST_DB_USER", "postgres");
    public static final String PASSWORD = env("JOT_TEST_DB_PASSWORD", "");

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSchemas.class);
    private static volatile boolean noticeShown;

    private PostgresSchemas() {
    }

    /** Creates a new schema and returns a JDBC URL whose connections use it. */
    public static String createSchema() {
        String schema = "jot_test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = connect()) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String msg = "PostgreSQL not reachable at " + URL + " as " + USER + " (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(msg + ": CI=true requires PostgreSQL", e);
            }
            if (!noticeShown) {
                noticeShown = true;
                LOG.warn("NOTICE: {}: PostgreSQL tests SKIPPED (set CI=true to fail instead)", msg);
            }
            // Issue 3: on a machine without PostgreSQL (a user's fresh clone) these tests are skipped with a
            // visible notice so `./mvnw verify` still passes; .ci/run sets CI=true, where the branch above fails.
            Assumptions.abort(msg + ": skipping PostgreSQL tests");
        }
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public static void dropSchema(String url) {
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        try (Connection c = connect()) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            LOG.warn("could not drop test schema {}: {}", schema, e.getMessage());
        }
    }

    private static Connection connect() throws SQLException {
        DriverManager.setLoginTimeout(5);
        return DriverManager.getConnection(URL, USER, PASSWORD);
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }
}
