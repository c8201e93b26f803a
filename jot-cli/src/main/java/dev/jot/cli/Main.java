package dev.jot.cli;

import dev.jot.jwt.JwtException;
import dev.jot.server.error.ServerException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
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
        description = "JWT authentication tools.")
public final class Main implements Callable<Integer> {

    private final InputStream stdin;
    private final Clock clock;
    private final Map<String, String> environment;
    private final CountDownLatch stop;

    @Spec
    private CommandSpec spec;

    Main(InputStream stdin, Clock clock) {
        this(stdin, clock, System.getenv(), new CountDownLatch(1));
    }

    /** For tests: a chosen environment, and a latch that stops {@code jot serve} when counted down. */
    Main(InputStream stdin, Clock clock, Map<String, String> environment, CountDownLatch stop) {
        this.stdin = Objects.requireNonNull(stdin);
        this.clock = Objects.requireNonNull(clock);
        this.environment = Map.copyOf(environment);
        this.stop = Objects.requireNonNull(stop);
    }

    public static void main(String[] args) {
        CommandLine jot = commandLine(new Main(System.in, Clock.systemUTC()), args.length > 0 ? args[0] : "");
        // Tokens and claims are UTF-8 whatever the platform's console encoding says.
        jot.setOut(utf8(System.out));
        jot.setErr(utf8(System.err));
        System.exit(jot.execute(args));
    }

    /** The command tree with Jot's error reporting; output goes wherever {@code setOut}/{@code setErr} say. */
    public static CommandLine commandLine(InputStream stdin, Clock clock) {
        return commandLine(new Main(stdin, clock));
    }

    static CommandLine commandLine(Main main) {
        return commandLine(main, "");
    }

    /**
     * The subcommands, in the order {@code jot --help} lists them. Picocli reflects over a command's annotations
     * when it is added (a third of a second for all of them on a cold JVM), so {@link #main} adds only the one
     * named on the command line, and all of them otherwise (for {@code jot --help} and unknown names).
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("serve", ServeCommand::new);
        m.put("keygen", KeygenCommand::new);
        m.put("sign", SignCommand::new);
        m.put("verify", VerifyCommand::new);
        m.put("decode", DecodeCommand::new);
        m.put("admin", AdminCommand::new);
        m.put("hash-cost", HashCostCommand::new);
        return m;
    }

    static CommandLine commandLine(Main main, String named) {
        CommandLine jot = new CommandLine(main);
        SUBCOMMANDS.forEach((name, command) -> {
            if (!SUBCOMMANDS.containsKey(named) || name.equals(named)) {
                // As a CommandLine of its own: picocli applies model transformers (SettingOptions) to commands
                // built that way, not to bare objects added as subcommands.
                jot.addSubcommand(name, new CommandLine(command.get()));
            }
        });
        jot.setParameterExceptionHandler(Main::usageError);
        jot.setExecutionExceptionHandler(Main::failure);
        return jot;
    }

    /** {@code jot} alone is a usage error: scripts must name a command. */
    @Override
    public Integer call() {
        throw CliError.usage("a command is required: serve, keygen, sign, verify, decode, admin or hash-cost (see 'jot --help')");
    }

    InputStream stdin() {
        return stdin;
    }

    Clock clock() {
        return clock;
    }

    Map<String, String> environment() {
        return environment;
    }

    /** Blocks until the process is asked to stop (in production: never; the shutdown hook stops the server). */
    void awaitStop() throws InterruptedException {
        stop.await();
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

    static int failure(Exception e, CommandLine cmd, ParseResult parsed) {
        return switch (e) {
            case CliError c -> report(cmd, c.code(), c.getMessage(), c.exitCode());
            case ServerException s -> failure(ServerErrors.of(s), cmd, parsed);
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
