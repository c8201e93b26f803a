package dev.jot.cli;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Claims;
import dev.jot.jwt.Json;
import dev.jot.jwt.Jwk;
import dev.jot.jwt.JwtException;
import dev.jot.jwt.JwtSigner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jot sign --key FILE [--claims JSON | --claims-file FILE] [--exp DURATION] [--iss X] [--sub X] [--aud X]}:
 * prints a compact JWS. {@code iat} is now unless the claims give one; the flags override the claims' members.
 */
@Command(name = "sign",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Sign a JWT with a private or secret JWK and print the compact JWS (one line).")
public final class SignCommand implements Callable<Integer> {

    @ParentCommand
    private Main jot;

    @Spec
    private CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "<FILE>",
            description = "A private or secret JWK (or a JWK set holding exactly one key).")
    private Path keyFile;

    @ArgGroup(exclusive = true)
    private ClaimsSource claimsSource;

    @Option(names = "--exp", paramLabel = "<DURATION>", converter = DurationConverter.class,
            description = "Lifetime: exp = now + DURATION, e.g. 90s, 15m, 1h, 7d (default: no exp).")
    private Duration lifetime;

    @Option(names = "--iss", paramLabel = "<ISSUER>", description = "The iss claim.")
    private String issuer;

    @Option(names = "--sub", paramLabel = "<SUBJECT>", description = "The sub claim.")
    private String subject;

    @Option(names = "--aud", paramLabel = "<AUDIENCE>",
            description = "The aud claim; repeat for several (then written as an array).")
    private List<String> audiences;

    @Option(names = "--alg", paramLabel = "<ALG>",
            description = "Algorithm, for a key without alg (default: the key's alg, else the natural one for its type).")
    private Algorithm alg;

    @Option(names = "--typ", paramLabel = "<TYP>",
            description = "The typ header, e.g. at+jwt for RFC 9068 access tokens (default: JWT).")
    private String type;

    /** Where the base claims come from: at most one of the two. */
    static final class ClaimsSource {
        @Option(names = "--claims", paramLabel = "<JSON>", description = "Claims as a JSON object.")
        String json;

        @Option(names = "--claims-file", paramLabel = "<FILE>", description = "Claims from a JSON file ('-': stdin).")
        Path file;
    }

    @Override
    public Integer call() {
        Jwk key = KeyFiles.readOne(keyFile);
        JwtSigner signer;
        try {
            JwtSigner.Builder builder = JwtSigner.builder(key);
            if (alg != null) {
                builder.algorithm(alg);
            }
            if (type != null) {
                builder.type(type);
            }
            signer = builder.build();
        } catch (JwtException e) {
            throw CliError.badInput("key file " + keyFile, e);
        }
        String token = signer.sign(claims(jot.clock().instant()));
        PrintWriter out = spec.commandLine().getOut();
        out.println(token);
        out.flush();
        return Exit.OK;
    }

    private Claims claims(Instant now) {
        Map<String, Object> base = baseClaims();
        Claims.Builder b = Claims.builder().claims(base);
        if (!base.containsKey(Claims.ISSUED_AT)) {
            b.issuedAt(now);
        }
        if (lifetime != null) {
            b.expiresAt(now.plus(lifetime));
        }
        if (issuer != null) {
            b.issuer(issuer);
        }
        if (subject != null) {
            b.subject(subject);
        }
        if (audiences != null && !audiences.isEmpty()) {
            b.audience(audiences);
        }
        try {
            return b.build();
        } catch (JwtException e) {
            throw CliError.badInput("claims", e); // e.g. a string exp in --claims
        }
    }

    private Map<String, Object> baseClaims() {
        if (claimsSource == null) {
            return Map.of();
        }
        String what = claimsSource.json != null ? "--claims" : "--claims-file " + claimsSource.file;
        String json = claimsSource.json != null ? claimsSource.json
                : "-".equals(claimsSource.file.toString()) ? jot.readStdin()
                : TextFiles.read(claimsSource.file, "claims file");
        try {
            return Json.parseObject(json);
        } catch (JwtException e) {
            throw CliError.badInput(what, e);
        }
    }
}
