package dev.jot.server;

import dev.jot.server.config.ServerConfig;

/** The contract on PostgreSQL, each test in a schema of its own (skipped without PostgreSQL unless CI=true). */
class PostgresServerTest extends ServerContractTest {
    private String url;

    @Override
    ServerConfig.Builder withDatabase(ServerConfig.Builder base) {
        url = PostgresSchemas.createSchema();
        return base.dbUrl(url).dbUser(PostgresSchemas.USER).dbPassword(PostgresSchemas.PASSWORD);
    }

    @Override
    void dropDatabase() {
        if (url != null) {
            PostgresSchemas.dropSchema(url);
        }
    }
}
