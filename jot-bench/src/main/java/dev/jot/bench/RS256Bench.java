package dev.jot.bench;

import dev.jot.jwt.Algorithm;

/** RS256 sign and verify: every contender. See {@link JwsBench}. */
public class RS256Bench extends JwsBench.Everyone {
    public RS256Bench() {
        super(Algorithm.RS256);
    }
}
