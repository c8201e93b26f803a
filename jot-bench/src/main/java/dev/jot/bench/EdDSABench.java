package dev.jot.bench;

import dev.jot.jwt.Algorithm;

/** EdDSA sign and verify: auth0 java-jwt is absent (it has no EdDSA); nimbus runs on Google Tink. See {@link JwsBench}. */
public class EdDSABench extends JwsBench.Peers {
    public EdDSABench() {
        super(Algorithm.EdDSA);
    }
}
