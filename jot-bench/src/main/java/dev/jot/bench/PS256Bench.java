package dev.jot.bench;

import dev.jot.jwt.Algorithm;

/** PS256 sign and verify: Jot against the crypto floor only (PS256 is not in the peer comparison). See {@link JwsBench}. */
public class PS256Bench extends JwsBench {
    public PS256Bench() {
        super(Algorithm.PS256);
    }
}
