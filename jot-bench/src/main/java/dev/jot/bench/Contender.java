package dev.jot.bench;

/** One library set up for one algorithm and key: the two operations the benchmarks time. */
interface Contender {

    /** Builds this library's claims object from the fixture's values, serialises it and signs it. */
    Object sign() throws Exception;

    /**
     * Parse, signature check, claims parse and exp/iss/aud checks, each library configured to do all of
     * them; throws when the token is not valid.
     */
    Object verify(String token) throws Exception;

    /** Thrown by a factory when the library has no implementation of the algorithm. */
    final class Unsupported extends RuntimeException {
        Unsupported(String library, Object alg) {
            super(library + " does not support " + alg);
        }
    }
}
