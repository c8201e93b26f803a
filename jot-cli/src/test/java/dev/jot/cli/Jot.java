package dev.jot.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Json;
import dev.jot.jwt.Jwk;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code jot} in-process, as a shell would: arguments and stdin in; exit code, stdout, stderr out. */
final class Jot {

    /** The frozen "now" of every run: tokens are signed at this instant and verified at it unless --now says otherwise. */
    static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private Jot() {
    }

    record Result(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        /** stdout parsed as one JSON object. */
        Map<String, Object> json() {
            return Json.parseObject(out.strip());
        }
    }

    static Result run(String... args) {
        return runWithStdin("", args);
    }

    static Result runWithStdin(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // As main() builds it: only the named subcommand (all of them when none is named).
        Main main = new Main(new ByteArrayInputStream(stdin.getBytes(UTF_8)), Clock.fixed(NOW, ZoneOffset.UTC));
        CommandLine jot = Main.commandLine(main, args.length > 0 ? args[0] : "");
        jot.setOut(new PrintWriter(out));
        jot.setErr(new PrintWriter(err));
        int exit = jot.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** A fresh private key written as the file {@code jot keygen} would produce. */
    static Path keyFile(Path dir, Algorithm alg, String kid) {
        return write(dir, kid + ".json", Jwk.generate(alg, kid).toJson());
    }

    static Path write(Path dir, String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
