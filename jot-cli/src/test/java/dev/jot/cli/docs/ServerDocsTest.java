package dev.jot.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.server.JotServer;
import dev.jot.server.config.Argon2Params;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.config.Settings;
import dev.jot.server.error.ServerError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The curl examples of docs/server.md are run, in order, against a real server started in this JVM: the blocks
 * fenced {@code ```sh tested} become one bash script, so variables set by one block (tokens, ids) reach the next.
 * Each {@code curl} in them ends with a comment giving the status it gets ({@code # 201 ...}), and a snake_case
 * word after the status names the {@code code} or {@code error} the body must carry ({@code # 409 user_exists}).
 * bash and curl must be on the PATH (they are on CI's Ubuntu runners).
 *
 * <p>The script sees {@code curl} as a function that calls the real one with {@code -D} (headers to a file) and
 * {@code -o} (the body to a file, then printed) and {@code --max-time 30} (a hung request fails, never hangs the build), and logs each call's status and body for this test to compare.
 */
class ServerDocsTest {
    static final Path SERVER_MD = Docs.ROOT.resolve("docs").resolve("server.md");
    private static final Pattern EXPECTED = Pattern.compile("#\\s*(\\d{3})\\b\\s*([a-z]+_[a-z_]+)?");
    private static final Pattern CURL = Pattern.compile("(^|[\\s($|])curl\\s");

    /** One curl shown in the page: where, its line, the status it must get, and the code its body must name. */
    record Expected(int line, String text, int status, String code) {
    }

    @Test
    void everyCurlExampleOfTheServerPageGetsTheStatusItShows(@TempDir Path dir) throws Exception {
        String page = Docs.read(SERVER_MD);
        List<Docs.Block> tested = Docs.blocks(page).stream().filter(b -> b.info().equals("sh tested")).toList();
        List<Expected> expected = expected(tested);
        assertThat(expected).as("tested curl examples in docs/server.md").hasSizeGreaterThan(40);

        ServerConfig config = ServerConfig.builder().port(0).dataDir(dir.resolve("data"))
                .argon2(new Argon2Params(1024, 1, 1))
                .set(Settings.ADMIN_USERNAME, "root").set(Settings.ADMIN_PASSWORD, "admin password 1")
                .build();
        Path calls = Files.createDirectory(dir.resolve("calls"));
        Path script = dir.resolve("server-md.sh");
        Files.writeString(script, script(tested), StandardCharsets.UTF_8);
        String output;
        int exit;
        try (JotServer server = JotServer.start(config)) {
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
            pb.environment().put("JOT", "http://127.0.0.1:" + server.port());
            pb.environment().put("CALLS", calls.toString());
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the examples finish").isTrue();
            output = new String(out, StandardCharsets.UTF_8);
            exit = p.exitValue();
        }

        // For a reader checking the answers the page describes: every call, its status and its body.
        Files.writeString(Path.of("target", "server-md-examples.txt"), output, StandardCharsets.UTF_8);
        List<String> log = Files.readAllLines(calls.resolve("log"));
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < Math.max(expected.size(), log.size()); i++) {
            if (i >= log.size()) {
                failures.add("docs/server.md:" + expected.get(i).line() + ": never ran: " + expected.get(i).text());
                continue;
            }
            String[] call = log.get(i).split(" ");
            if (i >= expected.size()) {
                failures.add("a curl call the page does not show: " + log.get(i));
                continue;
            }
            Expected e = expected.get(i);
            String body = Files.readString(calls.resolve((i + 1) + ".body"));
            if (!call[1].equals("0")) {
                failures.add("docs/server.md:" + e.line() + ": curl exited " + call[1] + ": " + e.text());
            } else if (!call[0].equals(Integer.toString(e.status()))) {
                failures.add("docs/server.md:" + e.line() + ": status " + call[0] + ", the page says " + e.status()
                        + ": " + e.text() + "\n    body: " + body);
            } else if (e.code() != null && !body.contains("\"code\":\"" + e.code() + "\"")
                    && !body.contains("\"error\":\"" + e.code() + "\"")) {
                failures.add("docs/server.md:" + e.line() + ": the body does not carry " + e.code() + ": " + body);
            }
        }
        assertThat(failures).as("script output:\n%s", output).isEmpty();
        assertThat(exit).as("the examples' script exits 0; its output:\n%s", output).isZero();
    }

    @Test
    void theServerPageNamesEveryErrorCode() {
        String page = Docs.read(SERVER_MD);
        List<String> missing = Arrays.stream(ServerError.values()).map(ServerError::code).distinct()
                .filter(code -> !page.contains("`" + code + "`")).toList();
        assertThat(missing).as("codes of ServerError that docs/server.md's table lacks").isEmpty();
    }

    @Test
    void theExpectedStatusAndCodeAreReadFromTheComment() {
        List<Expected> e = expected(List.of(new Docs.Block("sh tested", List.of(
                "curl -sS $JOT/me \\",
                "     -H 'x: y'                       # 401 token_missing",
                "X=$(curl -sS $JOT/health | field status)   # 200 {\"status\":\"up\"}",
                "field() { sed 's/x/y/'; }"), 10)));
        assertThat(e).containsExactly(new Expected(10, "curl -sS $JOT/me -H 'x: y'                       # 401 token_missing", 401, "token_missing"),
                new Expected(12, "X=$(curl -sS $JOT/health | field status)   # 200 {\"status\":\"up\"}", 200, null));
    }

    static List<Expected> expected(List<Docs.Block> blocks) {
        List<Expected> out = new ArrayList<>();
        for (Docs.Block b : blocks) {
            List<String> lines = b.lines();
            for (int i = 0; i < lines.size(); i++) {
                int first = i;
                StringBuilder logical = new StringBuilder(lines.get(i));
                while (logical.toString().endsWith("\\") && i + 1 < lines.size()) {
                    logical.setLength(logical.length() - 1);
                    logical.setLength(logical.toString().stripTrailing().length());
                    logical.append(' ').append(lines.get(++i).strip());
                }
                String text = logical.toString().strip();
                if (!CURL.matcher(text).find()) {
                    continue;
                }
                Matcher m = EXPECTED.matcher(text);
                if (!m.find()) {
                    throw new AssertionError("docs/server.md:" + (b.firstLine() + first)
                            + ": a tested curl without its status in a comment (# 200 ...): " + text);
                }
                out.add(new Expected(b.firstLine() + first, text, Integer.parseInt(m.group(1)), m.group(2)));
            }
        }
        return out;
    }

    /** The tested blocks in order, after a curl that records what each call got. */
    static String script(List<Docs.Block> blocks) {
        StringBuilder s = new StringBuilder("""
                set -euo pipefail
                : > "$CALLS/log"
                curl() {
                  local n=$(( $(wc -l < "$CALLS/log") + 1 ))
                  local rc=0
                  command curl --max-time 30 -D "$CALLS/$n.headers" -o "$CALLS/$n.body" "$@" || rc=$?
                  touch "$CALLS/$n.body" "$CALLS/$n.headers"
                  echo "$(awk '/^HTTP\\//{s=$2} END{print (s == "" ? "none" : s)}' "$CALLS/$n.headers") $rc" >> "$CALLS/log"
                  cat "$CALLS/$n.body"
                  echo "   <- curl #$n: $(tail -n 1 "$CALLS/log")" >&2
                  return $rc
                }
                """);
        for (Docs.Block b : blocks) {
            s.append("\n# docs/server.md:").append(b.firstLine()).append('\n');
            s.append(String.join("\n", b.lines())).append('\n');
        }
        return s.toString();
    }
}
