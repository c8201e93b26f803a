package dev.jot.bench;

import dev.jot.jwt.Algorithm;

/** HS256 sign and verify: every contender. See {@link JwsBench}. */
public class HS256Bench extends JwsBench.Everyone {
    public HS256Bench() {
        super(Algorithm.HS256);
    }
}
