package dev.jot.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java the docs show in blocks fenced {@code ```java compiled} compiles against the real jot-jwt, jot-guard and
 * Javalin: each block becomes the body of a method whose parameters are the names a reader brings along
 * ({@code guard}, {@code request}, {@code issuer}, ...), less those the block declares itself.
 */
class DocsJavaTest {
    /** What a snippet may use without declaring it: name → type. */
    private static final Map<String, String> GIVEN = new LinkedHashMap<>();

    static {
        GIVEN.put("guard", "Guard");
        GIVEN.put("request", "GuardRequest");
        GIVEN.put("issuer", "String");
        GIVEN.put("clientId", "String");
        GIVEN.put("clientSecret", "String");
        GIVEN.put("jwksJson", "String");
        GIVEN.put("orders", "Orders");
        GIVEN.put("machine", "ClientCredentials");
        GIVEN.put("machineTokens", "Tokens");
        GIVEN.put("servletContext", "jakarta.servlet.ServletContext");
    }

    /** {@code Type name =} or {@code Type<..> name =}: a name the block declares. */
    private static final Pattern DECLARED = Pattern.compile("\\b[A-Z]\\w*(?:<[^>]*>)?\\s+(\\w+)\\s*=");

    @Test
    void everyCompiledJavaBlockOfTheDocsCompiles(@TempDir Path dir) throws Exception {
        List<String> names = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        for (Path file : Docs.files()) {
            for (Docs.Block b : Docs.blocks(Docs.read(file))) {
                if (!b.info().equals("java compiled")) {
                    continue;
                }
                String name = "Snippet" + sources.size();
                Path source = dir.resolve(name + ".java");
                Files.writeString(source, source(name, b.lines()));
                sources.add(source);
                names.add(name + " = " + Docs.name(file) + ":" + b.firstLine());
            }
        }
        assertThat(sources).as("compiled Java blocks in the docs").hasSizeGreaterThanOrEqualTo(5);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter out = new StringWriter();
        List<String> args = new ArrayList<>(List.of("-proc:none", "-d", dir.resolve("classes").toString(),
                "-cp", System.getProperty("java.class.path")));
        boolean ok = javac.getTask(out, null, null, args, null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjectsFromPaths(sources)).call();
        assertThat(ok).as("the docs' Java compiles (%s):%n%s", String.join(", ", names), out).isTrue();
    }

    @Test
    void aSnippetTakesAsParametersOnlyTheNamesItDoesNotDeclare() {
        String s = source("S", List.of("Guard guard = Guard.forIssuer(issuer).audience(\"a\").build();"));
        assertThat(s).contains("String issuer").doesNotContain("Guard guard,").doesNotContain("Guard guard)");
    }

    static String source(String name, List<String> body) {
        String text = String.join("\n", body);
        List<String> declared = new ArrayList<>();
        Matcher m = DECLARED.matcher(text);
        while (m.find()) {
            declared.add(m.group(1));
        }
        List<String> params = new ArrayList<>();
        GIVEN.forEach((n, type) -> {
            if (!declared.contains(n)) {
                params.add(type + " " + n);
            }
        });
        return """
                import dev.jot.guard.*;
                import dev.jot.guard.javalin.JotGuardPlugin;
                import dev.jot.guard.servlet.JotGuardFilter;
                import dev.jot.guard.usage.*;
                import dev.jot.jwt.*;
                import io.javalin.Javalin;
                import java.net.URI;
                import java.time.*;
                import java.util.*;

                class %s {
                    interface Orders { Object of(String subject); void delete(String id); }
                    interface Tokens { String current(); }

                    void run(%s) throws Exception {
                %s
                    }
                }
                """.formatted(name, String.join(", ", params), text);
    }
}
