package dev.jot.server;

import dev.jot.server.config.Argon2Params;
import dev.jot.server.config.ServerConfig;
import java.nio.file.Path;

/** Test configuration: random port, fixed issuer, and Argon2 made cheap (tests only; defaults tested apart). */
final class TestConfigs {
    static final String ISSUER = "http://jot.test";
    static final Argon2Params FAST_ARGON2 = new Argon2Params(1024, 1, 1);

    private TestConfigs() {
    }

    static ServerConfig.Builder base(Path dataDir) {
        return ServerConfig.builder().port(0).dataDir(dataDir).issuer(ISSUER).argon2(FAST_ARGON2);
    }
}
