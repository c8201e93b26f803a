package dev.jot.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.cli.Main;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code ./jot ...} command the docs show (in code blocks and in inline code) parses with the real command
 * tree: its subcommand exists, its options exist and take the values shown. Shell syntax around it (pipes,
 * {@code $(...)}, redirections, comments, quotes, line continuations) is cut away first; a {@code $VARIABLE} stays
 * as text, which every option that takes a string accepts.
 */
class DocsCommandsTest {
    private static final Pattern INLINE = Pattern.compile("`(\\./jot(?: [^`]*)?)`");

    /** One command found in the docs: where, and its words after {@code ./jot}. */
    record Shown(String where, List<String> args) {
    }

    @Test
    void everyJotCommandInTheDocsParsesWithTheRealCommandTree() {
        List<Shown> shown = shownCommands();
        List<String> failures = new ArrayList<>();
        for (Shown s : shown) {
            String problem = parse(s.args());
            if (problem != null) {
                failures.add(s.where() + ": ./jot " + String.join(" ", s.args()) + ": " + problem);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(shown).as("commands found in the docs").hasSizeGreaterThan(20);
    }

    @Test
    void aCommandWithAnOptionThatDoesNotExistIsCaught() {
        assertThat(parse(words("serve --no-such-option"))).isNotNull();
        assertThat(parse(words("admin grant-role ada"))).as("a missing parameter").isNotNull();
        assertThat(parse(words("frobnicate"))).isNotNull();
        assertThat(parse(words("example spring"))).isNotNull();
        assertThat(parse(words("serve --port 8443 --access-token-ttl 10m"))).isNull();
    }

    @Test
    void shellSyntaxAroundACommandIsCutAway() {
        String[][] cases = {
                {"TOKEN=$(./jot sign --key key.json --sub ada --claims '{\"a\": [1]}')", "sign|--key|key.json|--sub|ada|--claims|{\"a\": [1]}"},
                {"printf '%s\\n' \"$PASSWORD\" | ./jot admin create-user ada --role admin   # or at the prompt", "admin|create-user|ada|--role|admin"},
                {"./jot keygen --alg ES256 > key.json", "keygen|--alg|ES256"},
                {"JOT_ISSUER=http://localhost:8080 ./jot example tutorial-api &", "example|tutorial-api"},
                {"./jot verify --key key.json \"$TOKEN\" && echo ok", "verify|--key|key.json|$TOKEN"},
        };
        for (String[] c : cases) {
            assertThat(String.join("|", commandsIn(withoutComment(c[0])).getFirst())).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(commandsIn(withoutComment("bench/load.sh   # passed to ./jot (after its options)"))).isEmpty();
    }

    /** Null when {@code args} parse; else why not. */
    static String parse(List<String> args) {
        if (!args.isEmpty() && args.getFirst().equals("example")) {
            // The launcher's own command (the script, not picocli): it runs one example.
            return args.equals(List.of("example", "tutorial-api")) ? null : "the launcher runs 'example tutorial-api' only";
        }
        CommandLine jot = Main.commandLine(InputStream.nullInputStream(), Clock.systemUTC());
        try {
            jot.parseArgs(args.toArray(String[]::new));
            return null;
        } catch (CommandLine.ParameterException e) {
            return e.getMessage();
        }
    }

    static List<Shown> shownCommands() {
        List<Shown> out = new ArrayList<>();
        for (Path file : Docs.files()) {
            String text = Docs.read(file);
            for (Docs.Block b : Docs.blocks(text)) {
                List<String> lines = b.lines();
                for (int i = 0; i < lines.size(); i++) {
                    StringBuilder logical = new StringBuilder(lines.get(i));
                    int first = i;
                    while (logical.toString().endsWith("\\") && i + 1 < lines.size()) {
                        logical.setLength(logical.length() - 1);
                    logical.setLength(logical.toString().stripTrailing().length());
                        logical.append(' ').append(lines.get(++i).strip());
                    }
                    for (List<String> args : commandsIn(withoutComment(logical.toString()))) {
                        out.add(new Shown(Docs.name(file) + ":" + (b.firstLine() + first), args));
                    }
                }
            }
            List<String> prose = Docs.prose(text);
            for (int i = 0; i < prose.size(); i++) {
                Matcher m = INLINE.matcher(prose.get(i));
                while (m.find()) {
                    for (List<String> args : commandsIn(m.group(1))) {
                        out.add(new Shown(Docs.name(file) + ":" + (i + 1), args));
                    }
                }
            }
        }
        return out;
    }

    /** The line up to a shell comment (an unquoted {@code #} at the start or after a blank): prose, not a command. */
    static String withoutComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** The words after each {@code ./jot} on a line, up to the end of that simple command. */
    static List<List<String>> commandsIn(String line) {
        List<List<String>> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int at = line.indexOf("./jot", from);
            if (at < 0) {
                return out;
            }
            int end = at + "./jot".length();
            boolean word = (at == 0 || " \t|;&($".indexOf(line.charAt(at - 1)) >= 0)
                    && (end == line.length() || line.charAt(end) == ' ');
            if (word) {
                out.add(words(line.substring(end)));
            }
            from = end;
        }
    }

    /** Shell words up to an unquoted |, ;, &, ), <, > or a # comment. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    w.append(text.charAt(++i));
                } else {
                    w.append(c);
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                w = w == null ? new StringBuilder() : w;
            } else if (c == ' ' || c == '\t') {
                if (w != null) {
                    out.add(w.toString());
                    w = null;
                }
            } else if ("|;&)<>".indexOf(c) >= 0 || (c == '#' && w == null)) {
                break;
            } else if (c == '\\' && i + 1 < text.length()) {
                w = w == null ? new StringBuilder() : w;
                w.append(text.charAt(++i));
            } else {
                w = w == null ? new StringBuilder() : w;
                w.append(c);
            }
        }
        if (w != null) {
            out.add(w.toString());
        }
        return out;
    }
}
