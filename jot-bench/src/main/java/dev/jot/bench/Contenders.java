package dev.jot.bench;

/** Builds contenders by name, and proves each one is configured as the benchmark claims before it is timed. */
final class Contenders {
    private Contenders() {
    }

    /** The library a benchmark method names: {@code dev.jot.bench.HS256Bench.verify_jot} → {@code jot}. */
    static String nameOf(String benchmark) {
        return benchmark.substring(benchmark.lastIndexOf('_') + 1);
    }

    static Contender create(String name, Fixture f) throws Exception {
        return switch (name) {
            case "raw" -> new RawJca(f);
            case "jot" -> new JotContender(f);
            case "nimbus" -> new NimbusContender(f);
            case "jjwt" -> new JjwtContender(f);
            case "auth0" -> new Auth0Contender(f);
            case "jose4j" -> new Jose4jContender(f);
            case "vertx" -> new VertxContender(f);
            default -> throw new IllegalArgumentException("unknown contender " + name);
        };
    }

    /**
     * A contender that verifies the fixture's token, rejects each bad token (forged signature, expired, wrong
     * iss, wrong aud), and whose own signed tokens Jot accepts. Otherwise the benchmark would time less work
     * than it says.
     */
    static Contender checked(String name, Fixture f) throws Exception {
        Contender c = create(name, f);
        c.verify(f.token);
        if (name.equals("raw")) {
            c.sign();
            return c; // checks only the fixture's signature, by design
        }
        for (var bad : f.badTokens.entrySet()) {
            boolean accepted;
            try {
                c.verify(bad.getValue());
                accepted = true;
            } catch (Exception expected) {
                accepted = false;
            }
            if (accepted) {
                throw new IllegalStateException(name + " " + f.alg + " accepted a token with " + bad.getKey());
            }
        }
        String signed = (String) c.sign();
        new JotContender(f).verify(signed);
        return c;
    }
}
