package dev.jot.server;

import dev.jot.server.config.ServerConfig;

/** The contract on the embedded default: an H2 file database in the (temporary) data directory. */
class H2ServerTest extends ServerContractTest {
    @Override
    ServerConfig.Builder withDatabase(ServerConfig.Builder base) {
        return base; // no JOT_DB_URL: the default H2 file under the data directory
    }
}
