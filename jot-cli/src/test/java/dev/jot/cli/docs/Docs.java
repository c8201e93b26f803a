package dev.jot.cli.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The repository's documentation as the docs tests read it: which files, their fenced code blocks, their prose
 * (everything outside code), and the anchors their headings make. Plain text processing, no Markdown library: the
 * docs keep to fenced blocks (three backticks), ATX headings and inline links.
 */
final class Docs {
    /** jot-cli's tests run in jot-cli/: the repository is its parent. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private Docs() {
    }

    /** README.md, ARCHITECTURE.md, docs/*.md, and the README of every module, example and bench/. */
    static List<Path> files() {
        Set<Path> out = new LinkedHashSet<>();
        out.add(ROOT.resolve("README.md"));
        out.add(ROOT.resolve("ARCHITECTURE.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String dir : List.of("jot-jwt", "jot-guard", "jot-server", "jot-cli", "jot-bench", "bench",
                "examples/tutorial-api", "examples/spring-resource-server")) {
            Path readme = ROOT.resolve(dir).resolve("README.md");
            if (Files.exists(readme)) {
                out.add(readme);
            }
        }
        return List.copyOf(out);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String name(Path file) {
        return ROOT.relativize(file).toString();
    }

    /** A fenced block: its info string ({@code sh tested}), its lines, and the line number of its first line. */
    record Block(String info, List<String> lines, int firstLine) {
    }

    static List<Block> blocks(String text) {
        List<Block> out = new ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String fence = lines.get(i).strip();
            if (fence.startsWith("```")) {
                String info = fence.substring(3).strip();
                List<String> body = new ArrayList<>();
                int j = i + 1;
                while (j < lines.size() && !lines.get(j).strip().startsWith("```")) {
                    body.add(lines.get(j));
                    j++;
                }
                out.add(new Block(info, body, i + 2));
                i = j;
            }
        }
        return out;
    }

    /** The text outside fenced blocks, with each line's number; fenced lines are blank so numbers stay true. */
    static List<String> prose(String text) {
        List<String> out = new ArrayList<>();
        boolean inFence = false;
        for (String line : text.lines().toList()) {
            if (line.strip().startsWith("```")) {
                inFence = !inFence;
                out.add("");
            } else {
                out.add(inFence ? "" : line);
            }
        }
        return out;
    }

    /**
     * The anchors GitHub makes for a file's headings: lower case, punctuation other than {@code -} and {@code _}
     * dropped, spaces to {@code -}, a repeated one suffixed {@code -1}, {@code -2}...
     */
    static Set<String> anchors(String text) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : prose(text)) {
            if (!line.startsWith("#")) {
                continue;
            }
            String heading = line.replaceFirst("^#+\\s+", "").strip();
            String slug = slug(heading);
            int n = seen.merge(slug, 1, Integer::sum);
            out.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return out;
    }

    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^]]*)]\\([^)]*\\)", "$1").replace("`", "").toLowerCase(java.util.Locale.ROOT);
        StringBuilder b = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                b.appendCodePoint(c);
            } else if (c == ' ') {
                b.append('-');
            }
        });
        return b.toString();
    }
}
