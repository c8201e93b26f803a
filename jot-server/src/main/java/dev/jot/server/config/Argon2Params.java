package dev.jot.server.config;

/**
 * Argon2id cost parameters, within the bounds of their settings ({@link Settings#ARGON2_MEMORY_KIB} and the next
 * two). The defaults are OWASP's password-storage baseline (19 MiB, 2 iterations, 1 lane:
 * https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id).
 */
public record Argon2Params(int memoryKiB, int iterations, int parallelism) {

    public static final Argon2Params OWASP_BASELINE = new Argon2Params(Settings.ARGON2_MEMORY_KIB.defaultValue(),
            Settings.ARGON2_ITERATIONS.defaultValue(), Settings.ARGON2_PARALLELISM.defaultValue());

    public Argon2Params {
        Settings.ARGON2_PARALLELISM.check(parallelism);
        Settings.ARGON2_MEMORY_KIB.check(memoryKiB);
        // RFC 9106 §3.1: memory at least 8·p KiB.
        if (memoryKiB < 8 * parallelism) {
            throw new ConfigException(Settings.ARGON2_MEMORY_KIB, "must be at least 8 KiB per lane ("
                    + 8 * parallelism + " for " + parallelism + "), was " + memoryKiB);
        }
        Settings.ARGON2_ITERATIONS.check(iterations);
    }
}
