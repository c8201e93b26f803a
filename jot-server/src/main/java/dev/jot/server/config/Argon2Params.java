package dev.jot.server.config;

/**
 * Argon2id cost parameters. The defaults are OWASP's password-storage baseline (19 MiB, 2 iterations, 1 lane:
 * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id).
 */
public record Argon2Params(int memoryKiB, int iterations, int parallelism) {

    public static final Argon2Params OWASP_BASELINE = new Argon2Params(19 * 1024, 2, 1);

    public Argon2Params {
        // RFC 9106 §3.1: memory at least 8·p KiB; we keep sane upper bounds so a typo cannot exhaust the host.
        if (parallelism < 1 || parallelism > 16) {
            throw new ConfigException("JOT_ARGON2_PARALLELISM", "must be between 1 and 16, was " + parallelism);
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > 4 * 1024 * 1024) {
            throw new ConfigException("JOT_ARGON2_MEMORY_KIB",
                    "must be between " + 8 * parallelism + " and 4194304 KiB, was " + memoryKiB);
        }
        if (iterations < 1 || iterations > 100) {
            throw new ConfigException("JOT_ARGON2_ITERATIONS", "must be between 1 and 100, was " + iterations);
        }
    }
}
