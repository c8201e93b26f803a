package dev.jot.cli;

import dev.jot.server.JotServer;
import dev.jot.server.LogOutput;
import dev.jot.server.StartupException;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.config.Settings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jot serve}: runs the auth server until the process is stopped. Its options are the server's settings
 * ({@link SettingOptions}); each is also an environment variable ({@code JOT_*}) and a config file key. A bad value
 * stops the start with a message naming every spelling (exit 2).
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        sortOptions = false,
        abbreviateSynopsis = true,
        description = {"Run the Jot auth server (embedded H2 database in the data directory unless --db-url says "
                        + "otherwise).",
                "Each option can also be set through the environment variable in brackets, or in the --config file "
                        + "as name=value (the option name without '--'). Options win over the environment, which "
                        + "wins over the file.", ""})
public final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    private Main jot;

    @Spec
    private CommandSpec spec;

    @Mixin
    private SettingOptions.Serve settings;

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig config = settings.config(jot.environment());
        LogOutput.apply(config.get(Settings.LOG_FORMAT));
        JotServer server;
        try {
            server = JotServer.start(config);
        } catch (StartupException e) {
            throw ServerErrors.of(e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Jot listening on " + server.baseUrl() + " (issuer " + server.services().tokens().issuer() + ")");
        out.println("database: " + server.services().database().url());
        out.println("data directory: " + server.dataDirectory());
        out.flush();
        // SIGTERM: no new connection, requests in progress finish (--shutdown-grace), before-stop tasks run, then
        // the database closes (JotServer#close).
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jot-shutdown"));
        jot.awaitStop();
        server.close();
        return Exit.OK;
    }
}
