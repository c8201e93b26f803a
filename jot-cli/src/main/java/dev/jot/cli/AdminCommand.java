package dev.jot.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.jot.server.Admin;
import dev.jot.server.account.User;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.keys.Rotation;
import dev.jot.server.keys.SigningKeys;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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
        subcommands = {AdminCommand.RotateKeys.class, AdminCommand.GrantRole.class, AdminCommand.Unlock.class})
public final class AdminCommand implements Callable<Integer> {

    @ParentCommand
    private Main jot;

    @Override
    public Integer call() {
        throw CliError.usage("an admin command is required: rotate-keys or grant-role (see 'jot admin --help')");
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
}
