package dev.jot.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.jot.server.Admin;
import dev.jot.server.account.User;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.keys.Rotation;
import dev.jot.server.keys.SigningKeys;
import java.io.Console;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jot admin}: changes a Jot database directly, as the server's own code would, without HTTP. It reads the
 * same {@code JOT_*} environment as {@code jot serve} (master key, signing algorithm, token lifetime…), so run it
 * with the server's settings. On PostgreSQL running servers pick a change up at once; the embedded H2 database is
 * locked by a running server, so stop it first.
 */
@Command(name = "admin",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"Administer a Jot database (the embedded one in the data directory, or PostgreSQL).",
                "Reads the same JOT_* environment as 'jot serve': run it with the server's settings."},
        subcommands = {AdminCommand.RotateKeys.class, AdminCommand.CreateUser.class, AdminCommand.GrantRole.class,
                AdminCommand.RevokeRole.class, AdminCommand.DisableUser.class, AdminCommand.EnableUser.class,
                AdminCommand.Unlock.class, AdminCommand.Usage.class})
public final class AdminCommand implements Callable<Integer> {

    @ParentCommand
    private Main jot;

    @Override
    public Integer call() {
        throw CliError.usage("an admin command is required: rotate-keys, create-user, grant-role, revoke-role, "
                + "disable-user, enable-user, unlock or usage (see 'jot admin --help')");
    }

    /**
     * Opens the database the options, the environment and the config file name; a refusal is a
     * {@code ServerException}, which the command line reports as {@code error: <CODE>: ...} ({@link ServerErrors}).
     */
    private Admin open(SettingOptions.Database db) {
        ServerConfig config = db.config(jot.environment());
        quietServerLog();
        return Admin.open(config, jot.clock());
    }

    /**
     * The server logs its INFO lines to stdout; here they would only repeat what the command prints, and stdout
     * belongs to the command's answer (scripts read the kids from it). Warnings still show.
     */
    private static void quietServerLog() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
        }
    }

    @Command(name = "rotate-keys",
            mixinStandardHelpOptions = true,
            versionProvider = Main.Version.class,
            description = {"Rotate the signing keys now: the next key (already published) starts signing, the active "
                    + "one retires and stays published until its last token expires, and a new next key is published.",
                    "Prints the new active and next kids. Servers also rotate on their own (--key-rotation)."})
    static final class RotateKeys implements Callable<Integer> {
        @ParentCommand
        private AdminCommand admin;

        @Spec
        private CommandSpec spec;

        @Mixin
        private SettingOptions.Database db;

        @Override
        public Integer call() {
            Rotation r;
            try (Admin a = admin.open(db)) {
                r = a.rotateKeys();
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("active key: " + r.activeKid());
            out.println("next key: " + r.nextKid());
            out.println("retired key: " + r.retiredKid() + " (published until its last token has expired)");
            if (r.early()) {
                out.println("warning: " + r.activeKid() + " was published " + r.activeWasPublishedFor().toSeconds()
                        + " s before it started signing; automatic rotation waits "
                        + SigningKeys.MIN_PUBLISHED.toSeconds() + " s (the JWKS max-age of "
                        + SigningKeys.JWKS_MAX_AGE.toSeconds() + " s plus time for every server to publish it). "
                        + "Verifiers holding an older copy of the JWKS meet its kid as unknown and must refetch.");
            }
            out.flush();
            return Exit.OK;
        }
    }

    @Command(name = "grant-role",
            mixinStandardHelpOptions = true,
            versionProvider = Main.Version.class,
            description = {"Give a user a role (e.g. the first 'admin'). Their tokens carry it from their next login "
                    + "or refresh."})
    static final class GrantRole implements Callable<Integer> {
        @ParentCommand
        private AdminCommand admin;

        @Spec
        private CommandSpec spec;

        @Mixin
        private SettingOptions.Database db;

        @Parameters(index = "0", paramLabel = "<USERNAME>", description = "The user (as they log in).")
        private String username;

        @Parameters(index = "1", paramLabel = "<ROLE>", description = "The role: 1-32 of a-z, 0-9, '_' and '-'.")
        private String role;

        @Override
        public Integer call() {
            User user;
            try (Admin a = admin.open(db)) {
                user = a.grantRole(username, role);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("granted role " + role + " to " + user.username() + " (roles: " + String.join(", ", user.roles())
                    + "); their tokens carry it from their next login or refresh");
            out.flush();
            return Exit.OK;
        }
    }

    @Command(name = "unlock",
            mixinStandardHelpOptions = true,
            versionProvider = Main.Version.class,
            description = {"Forget a user's failed logins: the brute-force delays of the account, and of each "
                    + "address's attempts at it, end now. Per-address delays stay."})
    static final class Unlock implements Callable<Integer> {
        @ParentCommand
        private AdminCommand admin;

        @Spec
        private CommandSpec spec;

        @Mixin
        private SettingOptions.Database db;

        @Parameters(index = "0", paramLabel = "<USERNAME>", description = "The name as typed at login.")
        private String username;

        @Override
        public Integer call() {
            int keys;
            try (Admin a = admin.open(db)) {
                keys = a.unlock(username);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(keys == 0 ? "no failed logins were counted for " + username
                    : "forgot the failed logins for " + username + " (" + keys + " throttle keys)");
            out.flush();
            return Exit.OK;
        }
    }
    @Command(name = "create-user",
            mixinStandardHelpOptions = true,
            versionProvider = Main.Version.class,
            description = {"Create an account, e.g. the first admin: jot admin create-user ada --role admin.",
                    "The password is read from a prompt (twice, not echoed) or, when stdin is not a terminal, from "
                    + "the first line of stdin; never from an argument, which other users of the machine can see.",
                    "Works whatever --registration says."})
    static final class CreateUser implements Callable<Integer> {
        @ParentCommand
        private AdminCommand admin;

        @Spec
        private CommandSpec spec;

        @Mixin
        private SettingOptions.Database db;

        @Parameters(index = "0", paramLabel = "<USERNAME>", description = "The name they log in with.")
        private String username;

        @Option(names = "--role", paramLabel = "<ROLE>", description = "A role to give them; repeatable.")
        private List<String> roles = new ArrayList<>();

        @Override
        public Integer call() {
            String password = admin.password();
            User user;
            try (Admin a = admin.open(db)) {
                user = a.createUser(username, password, roles);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("created user " + user.username() + " (id " + user.id() + ", roles: "
                    + (user.roles().isEmpty() ? "none" : String.join(", ", user.roles())) + ")");
            out.flush();
            return Exit.OK;
        }
    }

    @Command(name = "revoke-role",
            mixinStandardHelpOptions = true,
            versionProvider = Main.Version.class,
            description = {"Take a role from a user. Their tokens lose it from their next login or refresh. The last "
                    + "enabled admin keeps 'admin'."})
    static final class RevokeRole implements Callable<Integer> {
        @ParentCommand
        private AdminCommand admin;

        @Spec
        private CommandSpec spec;

        @Mixin
        private SettingOptions.Database db;

        @Parameters(index = "0", paramLabel = "<USERNAME>", description = "The user (as they log in).")
        private String username;

        @Parameters(index = "1", paramLabel = "<ROLE>", description = "The role to take away.")
        private String role;

        @Override
        public Integer call() {
            User user;
            try (Admin a = admin.open(db)) {
                user = a.revokeRole(username, role);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("revoked role " + role + " from " + user.username() + " (roles: "
                    + (user.roles().isEmpty() ? "none" : String.join(", ", user.roles()))
                    + "); their tokens lose it from their next login or refresh");
            out.flush();
            return Exit.OK;
        }
    }

    @Command(name = "disable-user",
            mixinStandardHelpOptions = true,
            versionProvider = Main.Version.class,
            description = {"Disable an account: its sessions end, its tokens and API keys are refused, and it cannot "
                    + "log in until enabled again."})
    static final class DisableUser implements Callable<Integer> {
        @ParentCommand
        private AdminCommand admin;

        @Spec
        private CommandSpec spec;

        @Mixin
        private SettingOptions.Database db;

        @Parameters(index = "0", paramLabel = "<USERNAME>", description = "The user (as they log in).")
        private String username;

        @Override
        public Integer call() {
            User user;
            try (Admin a = admin.open(db)) {
                user = a.disableUser(username);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("disabled " + user.username() + ": their sessions ended and their tokens are refused");
            out.flush();
            return Exit.OK;
        }
    }

    @Command(name = "enable-user",
            mixinStandardHelpOptions = true,
            versionProvider = Main.Version.class,
            description = {"Enable a disabled account again: it may log in (its old tokens stay refused)."})
    static final class EnableUser implements Callable<Integer> {
        @ParentCommand
        private AdminCommand admin;

        @Spec
        private CommandSpec spec;

        @Mixin
        private SettingOptions.Database db;

        @Parameters(index = "0", paramLabel = "<USERNAME>", description = "The user (as they log in).")
        private String username;

        @Override
        public Integer call() {
            User user;
            try (Admin a = admin.open(db)) {
                user = a.enableUser(username);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("enabled " + user.username());
            out.flush();
            return Exit.OK;
        }
    }

    @Command(name = "usage",
            mixinStandardHelpOptions = true,
            versionProvider = Main.Version.class,
            description = {"A user's requests per hour (as the subject of tokens, counted by guards), by status "
                    + "class, with a sparkline of the hours. Hours older than --usage-hour-retention show at their "
                    + "day's start."})
    static final class Usage implements Callable<Integer> {
        /** The sparkline's eight levels, lowest first. */
        static final String LEVELS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588";
        static final List<String> STATUSES = List.of("2xx", "3xx", "4xx", "5xx");
        static final java.time.Duration MAX_SINCE = java.time.Duration.ofDays(366);

        @ParentCommand
        private AdminCommand admin;

        @Spec
        private CommandSpec spec;

        @Mixin
        private SettingOptions.Database db;

        @Parameters(index = "0", paramLabel = "<USERNAME>", description = "The user (as they log in).")
        private String username;

        @Option(names = "--since", paramLabel = "<DURATION>", defaultValue = "24h",
                description = "How far back: 90m, 24h, 7d (default ${DEFAULT-VALUE}; at most 366d).")
        private String since;

        @Override
        public Integer call() {
            java.time.Duration back = dev.jot.server.config.Durations.parse(since)
                    .filter(d -> !d.isNegative() && !d.isZero() && d.compareTo(MAX_SINCE) <= 0)
                    .orElseThrow(() -> CliError.usage("--since must be a duration like 90m, 24h or 7d, at most 366d"));
            List<dev.jot.server.usage.UsageService.UsagePoint> points;
            java.time.Instant now;
            try (Admin a = admin.open(db)) {
                points = a.hourlyUsage(username, back);
                now = admin.jot.clock().instant();
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(table(points, now.minus(back), now));
            out.flush();
            return Exit.OK;
        }

        /** One row per hour from {@code from} to {@code to} (empty hours too), a total, and the sparkline. */
        static String table(List<dev.jot.server.usage.UsageService.UsagePoint> points, java.time.Instant from,
                            java.time.Instant to) {
            java.util.TreeMap<java.time.Instant, long[]> hours = new java.util.TreeMap<>();
            java.time.Instant first = from.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
            for (java.time.Instant h = first; h.isBefore(to); h = h.plus(java.time.Duration.ofHours(1))) {
                hours.put(h, new long[STATUSES.size() + 1]);
            }
            for (var p : points) {
                long[] row = hours.computeIfAbsent(p.start(), k -> new long[STATUSES.size() + 1]);
                int i = STATUSES.indexOf(p.status());
                row[0] += p.requests();
                if (i >= 0) {
                    row[i + 1] += p.requests();
                }
            }
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("%-17s %10s %10s %10s %10s %10s%n", "hour (UTC)", "requests", "2xx", "3xx", "4xx",
                    "5xx"));
            long total = 0;
            long max = 0;
            for (var e : hours.entrySet()) {
                long[] r = e.getValue();
                sb.append(String.format("%-17s %10d %10d %10d %10d %10d%n",
                        e.getKey().toString().substring(0, 16).replace('T', ' '), r[0], r[1], r[2], r[3], r[4]));
                total += r[0];
                max = Math.max(max, r[0]);
            }
            sb.append(String.format("%-17s %10d%n", "total", total));
            StringBuilder spark = new StringBuilder();
            for (long[] r : hours.values()) {
                int level = max == 0 ? 0 : (int) Math.round((double) r[0] * (LEVELS.length() - 1) / max);
                spark.append(LEVELS.charAt(level));
            }
            sb.append("per hour: ").append(spark).append(System.lineSeparator());
            return sb.toString();
        }
    }

    /**
     * The new account's password: from the terminal when there is one (asked twice, not echoed), else the first line
     * of stdin (a script's {@code printf '%s\n' "$PW" | jot admin create-user ...}). Never an argument.
     */
    private String password() {
        Console console = System.console();
        if (jot.stdin() == System.in && isTerminal(console)) {
            char[] first = console.readPassword("Password for the new account: ");
            char[] second = console.readPassword("The same password again: ");
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw CliError.usage("the two passwords differ (or input ended); nothing was created");
            }
            return new String(first);
        }
        String line = jot.readStdin().lines().findFirst().orElse("");
        if (line.isEmpty()) {
            throw CliError.usage("no password: type it at the prompt, or give it as the first line of stdin");
        }
        return line;
    }

    /** {@code Console.isTerminal()} (JDK 22+) where it exists; on JDK 21 a console exists only for a terminal. */
    private static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
