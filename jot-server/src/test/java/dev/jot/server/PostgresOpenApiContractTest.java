package dev.jot.server;

/** The answers against the OpenAPI description on PostgreSQL (skipped without it unless CI=true). */
class PostgresOpenApiContractTest extends OpenApiContractTest {
    @Override
    String databaseKind() {
        return "postgres";
    }
}
