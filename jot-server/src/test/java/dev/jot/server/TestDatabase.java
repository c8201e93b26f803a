package dev.jot.server;

import dev.jot.server.config.ServerConfig;

/**
 * One test's database: the embedded H2 file in the data directory, or a fresh PostgreSQL schema (see
 * {@link PostgresSchemas} for what happens when PostgreSQL is unreachable). For {@code @ParameterizedClass}
 * tests that must pass on both: {@code @ValueSource(strings = {"h2", "postgres"})}.
 */
public final class TestDatabase implements AutoCloseable {
    private final String url;

    private TestDatabase(String url) {
        this.url = url;
    }

    public static TestDatabase create(String kind) {
        return switch (kind) {
            case "h2" -> new TestDatabase(null);
            case "postgres" -> new TestDatabase(PostgresSchemas.createSchema());
            default -> throw new IllegalArgumentException("unknown test database " + kind);
        };
    }

    public boolean isPostgres() {
        return url != null;
    }

    /** Points a configuration at this database (H2: the default file under the builder's data directory). */
    /** The {@code JOT_DB_*} variables that point {@code jot serve} and {@code jot admin} at this database. */
    public java.util.Map<String, String> env() {
        return url == null ? java.util.Map.of() : java.util.Map.of("JOT_DB_URL", url,
                "JOT_DB_USER", PostgresSchemas.USER, "JOT_DB_PASSWORD", PostgresSchemas.PASSWORD);
    }

    public ServerConfig.Builder applyTo(ServerConfig.Builder b) {
        return url == null ? b : b.dbUrl(url).dbUser(PostgresSchemas.USER).dbPassword(PostgresSchemas.PASSWORD);
    }

    /** Drops the PostgreSQL schema; call after every server on it has stopped. */
    @Override
    public void close() {
        if (url != null) {
            PostgresSchemas.dropSchema(url);
        }
    }
}
