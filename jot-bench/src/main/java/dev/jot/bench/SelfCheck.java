package dev.jot.bench;

import dev.jot.jwt.Algorithm;
import java.util.List;

/**
 * Runs every benchmark's setup checks once, without JMH: {@code java -cp benchmarks.jar dev.jot.bench.SelfCheck}.
 * Prints the token sizes and which contender does which algorithm; exits 1 if any setup fails.
 */
public final class SelfCheck {
    private SelfCheck() {
    }

    public static void main(String[] args) throws Exception {
        List<String> names = List.of("raw", "jot", "nimbus", "jjwt", "auth0", "jose4j", "vertx");
        boolean failed = false;
        for (Algorithm alg : List.of(Algorithm.HS256, Algorithm.RS256, Algorithm.ES256, Algorithm.EdDSA, Algorithm.PS256)) {
            Fixture f = new Fixture(alg);
            StringBuilder line = new StringBuilder(String.format("%-6s token %4d chars:", alg.jwsName(), f.token.length()));
            for (String name : names) {
                try {
                    Contenders.checked(name, f);
                    line.append(' ').append(name).append(" ok");
                } catch (Contender.Unsupported e) {
                    line.append(' ').append(name).append(" n/a");
                } catch (Exception | Error e) {
                    line.append(' ').append(name).append(" FAILED (").append(e).append(')');
                    failed = true;
                }
                line.append(';');
            }
            System.out.println(line);
        }
        if (args.length > 0 && args[0].equals("-v")) {
            Fixture f = new Fixture(Algorithm.HS256);
            System.out.println(f.token);
            for (String name : names.subList(1, names.size())) {
                System.out.println(name + ": " + Contenders.create(name, f).sign());
            }
        }
        System.exit(failed ? 1 : 0);
    }
}
