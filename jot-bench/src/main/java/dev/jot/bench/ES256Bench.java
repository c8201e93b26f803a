package dev.jot.bench;

import dev.jot.jwt.Algorithm;

/** ES256 sign and verify: every contender. See {@link JwsBench}. */
public class ES256Bench extends JwsBench.Everyone {
    public ES256Bench() {
        super(Algorithm.ES256);
    }
}
