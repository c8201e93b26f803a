package dev.jot.cli;

import dev.jot.jwt.Json;
import dev.jot.jwt.Unverified;
import dev.jot.jwt.Unverified.DecodedJwt;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jot decode <TOKEN | ->}: shows what a token says about itself, for people debugging. Nothing is
 * verified, and the first line says so; a token that is not even well-formed exits 1 with {@code MALFORMED}.
 */
@Command(name = "decode",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"Show a JWT's header and claims WITHOUT verifying it; exp, nbf and iat also as UTC times.",
                "The output is UNVERIFIED: use 'jot verify' to decide whether to trust a token."})
public final class DecodeCommand implements Callable<Integer> {

    static final String BANNER =
            "UNVERIFIED: the signature was NOT checked. Do not trust this content; use 'jot verify' for that.";

    private static final List<String> TIMES = List.of("iat", "nbf", "exp");

    @ParentCommand
    private Main jot;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<TOKEN|->", description = "The token, or '-' to read it from stdin.")
    private String token;

    @Override
    public Integer call() {
        String text = "-".equals(token) ? jot.readStdin() : token;
        DecodedJwt jwt = Unverified.decode(text.strip()); // MALFORMED → "error: MALFORMED: ..." and exit 1
        PrintWriter out = spec.commandLine().getOut();
        out.println(BANNER);
        out.println("header:");
        out.println(Json.writePretty(jwt.header()));
        if (jwt.claims() == null) {
            out.println("payload (not a JSON object):");
            out.println(jwt.payloadText());
        } else {
            out.println("claims:");
            out.println(Json.writePretty(jwt.claims()));
            printTimes(out, jwt.claims());
        }
        out.flush();
        return Exit.OK;
    }

    private static void printTimes(PrintWriter out, Map<String, Object> claims) {
        if (TIMES.stream().noneMatch(claims::containsKey)) {
            return;
        }
        out.println("times (UTC):");
        for (String name : TIMES) {
            if (claims.containsKey(name)) {
                Object value = claims.get(name);
                Instant t = numericDate(value);
                out.println("  " + name + ": " + (t != null ? t.toString() : "not a NumericDate: " + Json.write(value)));
            }
        }
    }

    /** RFC 7519 NumericDate: JSON number of seconds since the epoch, possibly fractional. Null if not one. */
    private static Instant numericDate(Object value) {
        try {
            return switch (value) {
                case Long l -> Instant.ofEpochSecond(l);
                case BigInteger b -> Instant.ofEpochSecond(b.longValueExact());
                case BigDecimal d -> {
                    BigDecimal seconds = d.setScale(0, RoundingMode.FLOOR);
                    long nanos = d.subtract(seconds).movePointRight(9).longValue();
                    yield Instant.ofEpochSecond(seconds.longValueExact(), nanos);
                }
                case null, default -> null;
            };
        } catch (ArithmeticException | DateTimeException e) {
            return null; // a number too large for any date
        }
    }
}
