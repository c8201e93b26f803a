package dev.jot.cli;

import dev.jot.jwt.JwtException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The {@code jot} command. Subcommands reach the process's stdin and clock through this object (via
 * {@code @ParentCommand}) so tests can run them in-process with their own input and time.
 *
 * <p>Every failure ends as one stderr line {@code error: <CODE>: <message>} and an exit code from {@link Exit}.
 */
@Command(name = "jot",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "JWT authentication tools.",
        subcommands = {KeygenCommand.class, SignCommand.class, VerifyCommand.class, DecodeCommand.class})
public final class Main implements Callable<Integer> {

    private final InputStream stdin;
    private final Clock clock;

    @Spec
    private CommandSpec spec;

    Main(InputStream stdin, Clock clock) {
        this.stdin = Objects.requireNonNull(stdin);
        this.clock = Objects.requireNonNull(clock);
    }

    public static void main(String[] args) {
        CommandLine jot = commandLine(System.in, Clock.systemUTC());
        // Tokens and claims are UTF-8 whatever the platform's console encoding says.
        jot.setOut(utf8(System.out));
        jot.setErr(utf8(System.err));
        System.exit(jot.execute(args));
    }

    /** The command tree with Jot's error reporting; output goes wherever {@code setOut}/{@code setErr} say. */
    public static CommandLine commandLine(InputStream stdin, Clock clock) {
        CommandLine jot = new CommandLine(new Main(stdin, clock));
        jot.setParameterExceptionHandler(Main::usageError);
        jot.setExecutionExceptionHandler(Main::failure);
        return jot;
    }

    /** {@code jot} alone is a usage error: scripts must name a command. */
    @Override
    public Integer call() {
        throw CliError.usage("a command is required: keygen, sign, verify or decode (see 'jot --help')");
    }

    InputStream stdin() {
        return stdin;
    }

    Clock clock() {
        return clock;
    }

    /** All of stdin as UTF-8 text, for the {@code -} arguments. */
    String readStdin() {
        try {
            return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("error: USAGE: " + e.getMessage());
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return Exit.USAGE;
    }

    private static int failure(Exception e, CommandLine cmd, ParseResult parsed) {
        return switch (e) {
            case CliError c -> report(cmd, c.code(), c.getMessage(), c.exitCode());
            case JwtException j -> report(cmd, j.code().name(), j.getMessage(), Exit.INVALID);
            default -> report(cmd, "INTERNAL", e.toString(), Exit.INVALID);
        };
    }

    private static int report(CommandLine cmd, String code, String message, int exitCode) {
        cmd.getOut().flush(); // keep any partial stdout ahead of the error line
        PrintWriter err = cmd.getErr();
        err.println("error: " + code + ": " + message);
        err.flush();
        return exitCode;
    }

    private static PrintWriter utf8(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }

    /** {@code jot --version}: the version the launcher's jar was built as. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"jot " + (v != null ? v : "(development build)")};
        }
    }
}
