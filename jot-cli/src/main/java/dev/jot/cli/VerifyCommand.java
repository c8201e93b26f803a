package dev.jot.cli;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Jwk;
import dev.jot.jwt.Jwks;
import dev.jot.jwt.JwtException;
import dev.jot.jwt.JwtVerifier;
import dev.jot.jwt.VerifiedJwt;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jot verify --key FILE [--alg ALG]... [--iss X] [--aud X] [--now EPOCH] <TOKEN | ->}: one token → its
 * claims JSON (exit 0) or {@code error: CODE: message} (exit 1); {@code -} → one JSON verdict per stdin line
 * (see {@link TokenStream}).
 */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"Verify a JWT's signature and claims (exp is required; nbf, iss, aud) and print its claims as JSON.",
                "Exit 0: valid. Exit 1: invalid, with 'error: <CODE>: <message>' on stderr. Exit 2: usage error.",
                "With '-', read one token per line from stdin and print one JSON object per line:",
                "  {\"valid\":true,\"claims\":{...}} or {\"valid\":false,\"code\":\"...\",\"message\":\"...\"};",
                "exit 0 if all were valid, 1 otherwise."})
public final class VerifyCommand implements Callable<Integer> {

    @ParentCommand
    private Main jot;

    @Spec
    private CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "<FILE>",
            description = "A JWK or JWK set; private keys contribute their public half.")
    private Path keyFile;

    @Option(names = "--alg", paramLabel = "<ALG>",
            description = "An allowed algorithm; repeatable (default: each key's own alg; required for keys without one).")
    private List<Algorithm> algorithms = new ArrayList<>();

    @Option(names = "--iss", paramLabel = "<ISSUER>", description = "Required iss.")
    private String issuer;

    @Option(names = "--aud", paramLabel = "<AUDIENCE>",
            description = "Accepted audience; repeatable (the token's aud must contain one).")
    private List<String> audiences = new ArrayList<>();

    @Option(names = "--now", paramLabel = "<EPOCH_SECONDS>", description = "Judge exp/nbf at this time instead of now.")
    private Long now;

    @Parameters(index = "0", paramLabel = "<TOKEN|->", description = "The token, or '-' for one token per stdin line.")
    private String token;

    @Override
    public Integer call() {
        JwtVerifier verifier = verifier();
        if ("-".equals(token)) {
            return new TokenStream(verifier).verifyLines(jot.stdin(), spec.commandLine().getOut());
        }
        VerifiedJwt jwt = verifier.verify(token.strip()); // a JwtException becomes "error: CODE: ..." and exit 1
        PrintWriter out = spec.commandLine().getOut();
        out.println(jwt.claims().toJson());
        out.flush();
        return Exit.OK;
    }

    private JwtVerifier verifier() {
        Jwks keys = KeyFiles.read(keyFile);
        if (algorithms.isEmpty()) {
            // The token must never choose the algorithm: without --alg, each key has to name its own.
            for (Jwk key : keys.keys()) {
                if (key.alg() == null) {
                    throw CliError.usage(KeyFiles.describe(key) + " in " + keyFile
                            + " has no alg: name the allowed algorithms with --alg");
                }
            }
        }
        JwtVerifier.Builder b = JwtVerifier.builder().keys(keys).algorithms(algorithms).clock(clock());
        if (issuer != null) {
            b.issuer(issuer);
        }
        if (!audiences.isEmpty()) {
            b.audience(audiences.toArray(String[]::new));
        }
        try {
            return b.build();
        } catch (JwtException e) {
            throw CliError.badInput("key file " + keyFile, e); // e.g. no key suits the --alg given
        }
    }

    private Clock clock() {
        if (now == null) {
            return jot.clock();
        }
        try {
            return Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw CliError.usage("--now " + now + " is out of range");
        }
    }
}
