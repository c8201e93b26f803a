package dev.jot.cli;

import dev.jot.server.account.PasswordHasher;
import dev.jot.server.config.Argon2Params;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jot hash-cost}: how long one Argon2id password hash takes on this machine with the server's parameters.
 * Every login and registration pays it, so it bounds the login rate at cores ÷ time per hash. OWASP's advice is to
 * raise the cost as far as that rate allows
 * (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id); this is how to
 * see the rate before changing {@code JOT_ARGON2_*}. {@code bench/load.sh} uses it for its Argon2 limit.
 */
@Command(name = "hash-cost",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        sortOptions = false,
        description = {"Time Argon2id password hashes with the server's parameters (what every login costs).",
                "Each option can also be set through the environment variable in brackets, as for 'jot serve'."})
public final class HashCostCommand implements Callable<Integer> {

    @ParentCommand
    private Main jot;

    @Spec
    private CommandSpec spec;

    @Mixin
    private SettingOptions.HashCost settings;

    @Option(names = "--duration", paramLabel = "<DURATION>", converter = DurationConverter.class,
            description = "How long to measure, after a warm-up of a fifth of it. Default: 5s.")
    private Duration duration = Duration.ofSeconds(5);

    @Override
    public Integer call() {
        Argon2Params params = settings.config(jot.environment()).argon2();
        PasswordHasher hasher = new PasswordHasher(params);

        run(hasher, duration.dividedBy(5)); // warm-up: the JIT, and loading the native library
        List<Long> nanos = run(hasher, duration);
        Collections.sort(nanos);
        double medianMs = nanos.get(nanos.size() / 2) / 1e6;
        int cores = Runtime.getRuntime().availableProcessors();

        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "Argon2id m=%d KiB, t=%d, p=%d with %s:%n", params.memoryKiB(), params.iterations(),
                params.parallelism(), PasswordHasher.implementation());
        out.printf(Locale.ROOT, "%.1f ms per hash (median of %d, one at a time; fastest %.1f ms, slowest %.1f ms)%n",
                medianMs, nanos.size(), nanos.getFirst() / 1e6, nanos.getLast() / 1e6);
        out.printf(Locale.ROOT, "at most %.0f logins/s on %d cores (cores / time per hash)%n", cores * 1000 / medianMs,
                cores);
        return Exit.OK;
    }

    /** Hashes one after another for {@code d} (at least once); the time of each. */
    private static List<Long> run(PasswordHasher hasher, Duration d) {
        List<Long> nanos = new ArrayList<>();
        long end = System.nanoTime() + d.toNanos();
        do {
            long t0 = System.nanoTime();
            hasher.hash("correct horse battery staple");
            nanos.add(System.nanoTime() - t0);
        } while (System.nanoTime() < end);
        return nanos;
    }
}
