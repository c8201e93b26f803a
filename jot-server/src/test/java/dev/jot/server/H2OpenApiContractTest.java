package dev.jot.server;

/** The answers against the OpenAPI description on the embedded H2 database. */
class H2OpenApiContractTest extends OpenApiContractTest {
    @Override
    String databaseKind() {
        return "h2";
    }
}
