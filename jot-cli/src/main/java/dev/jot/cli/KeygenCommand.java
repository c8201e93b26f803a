package dev.jot.cli;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Jwk;
import dev.jot.jwt.JwtException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jot keygen --alg ALG [--kid KID]}: prints a fresh private JWK. The only command that prints a secret. */
@Command(name = "keygen",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"Generate a key and print it as a private JWK (one line of JSON) with alg and kid.",
                "Keep the output secret; give verifiers the public part only (HMAC keys have none)."})
public final class KeygenCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--alg", required = true, paramLabel = "<ALG>",
            description = "One of: ${COMPLETION-CANDIDATES}.")
    private Algorithm alg;

    @Option(names = "--kid", paramLabel = "<KID>", description = "Key id (default: 128 random bits, base64url).")
    private String kid;

    @Override
    public Integer call() {
        Jwk jwk;
        try {
            jwk = Jwk.generate(alg, kid);
        } catch (JwtException e) {
            throw CliError.badInput("--kid", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(jwk.toJson());
        out.flush();
        return Exit.OK;
    }
}
