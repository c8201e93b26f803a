package dev.jot.server;

import dev.jot.server.config.Argon2Params;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.config.Settings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Test configuration: random port, fixed issuer, Argon2 made cheap, and brute-force budgets far above what any
 * test sends from its one address (tests only; the throttle's defaults are tested apart, in ThrottleTest).
 */
final class TestConfigs {
    static final String ISSUER = "http://jot.test";
    static final Argon2Params FAST_ARGON2 = new Argon2Params(1024, 1, 1);

    private TestConfigs() {
    }

    static ServerConfig.Builder base(Path dataDir) {
        return ServerConfig.builder().port(0).dataDir(dataDir).issuer(ISSUER).argon2(FAST_ARGON2)
                .set(Settings.THROTTLE_ACCOUNT_FREE, 1000).set(Settings.THROTTLE_ADDRESS_FREE, 1_000_000)
                .set(Settings.THROTTLE_REGISTER_FREE, 1_000_000)
                // The server's own routes' counts are stored when a test says so (jobs().runNow(USAGE_SHIP)), not
                // by a timer that could add a request to a count between two reads of it.
                .set(Settings.USAGE_INTERVAL, Duration.ofHours(1));
    }
}
