package dev.jot.cli;

import dev.jot.jwt.Jwk;
import dev.jot.jwt.Jwks;
import dev.jot.jwt.JwtException;
import java.nio.file.Path;

/**
 * Reads {@code --key} files: a JWK or a JWK set. Errors name the file and the reason but never echo its
 * content, which may be a secret.
 */
final class KeyFiles {

    private KeyFiles() {
    }

    /** Every signature key in the file; at least one. */
    static Jwks read(Path file) {
        String json = TextFiles.read(file, "key file");
        Jwks jwks;
        try {
            jwks = Jwks.parseKeyOrSet(json);
        } catch (JwtException e) {
            throw CliError.badInput("key file " + file, e);
        }
        if (jwks.keys().isEmpty()) {
            throw CliError.usage("key file " + file + " holds no signature key");
        }
        return jwks;
    }

    /** The one key in the file, for signing: a set of several would leave the choice to chance. */
    static Jwk readOne(Path file) {
        Jwks jwks = read(file);
        if (jwks.keys().size() != 1) {
            throw CliError.usage("key file " + file + " holds " + jwks.keys().size() + " keys; signing needs exactly one");
        }
        return jwks.keys().getFirst();
    }

    /** How to name a key in a message without showing any of its material. */
    static String describe(Jwk key) {
        return key.kid() != null ? "key '" + key.kid() + "'" : "the " + key.kty() + " key without kid";
    }
}
