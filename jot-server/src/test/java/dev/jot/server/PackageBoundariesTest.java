package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The server's package rules, read from its sources: areas ({@code dev.jot.server.<area>}) depend on each other
 * without cycles, SQL lives in {@code *Repository} classes, and only the HTTP mapping layer writes challenges.
 */
class PackageBoundariesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/jot/server");
    private static final Pattern REFERENCE = Pattern.compile("dev\\.jot\\.server\\.([a-z]+)\\.");
    /** Statements on a Jdbi handle or a JDBC statement: where SQL is run. */
    private static final Pattern RUNS_SQL = Pattern.compile("\\.(createQuery|createUpdate|createBatch|createCall"
            + "|prepareStatement)\\(|\\bexecute\\(\"");
    /**
     * The event bus and the pool run their own protocol statements (LISTEN, pg_notify, the connection probe); they
     * are the database layer itself, not an area's data.
     */
    private static final Set<String> SQL_INFRASTRUCTURE = Set.of("store/ClusterEvents.java", "store/Database.java",
            "store/Health.java");

    @Test
    void theAreasDependOnEachOtherWithoutCycles() {
        Map<String, Set<String>> uses = dependencies();
        List<String> cycles = new ArrayList<>();
        for (String area : uses.keySet()) {
            for (String other : uses.get(area)) {
                if (reaches(uses, other, area, new TreeSet<>())) {
                    cycles.add(area + " -> " + other + " -> ... -> " + area);
                }
            }
        }
        assertThat(cycles).as("package cycles in %s", uses).isEmpty();
        assertThat(uses.get("token")).as("token issues tokens for subjects; it knows no accounts or sessions")
                .doesNotContain("account", "session", "oauth");
        assertThat(uses.get("session")).doesNotContain("account", "oauth");
        assertThat(uses.get("http")).as("http is the shared layer under every area")
                .doesNotContain("account", "session", "token", "oauth", "keys");
    }

    @Test
    void sqlRunsOnlyInRepositories() {
        List<String> offenders = sources()
                .filter(f -> !f.getFileName().toString().endsWith("Repository.java"))
                .filter(f -> !SQL_INFRASTRUCTURE.contains(relative(f)))
                .filter(f -> RUNS_SQL.matcher(code(f)).find())
                .map(PackageBoundariesTest::relative).toList();
        assertThat(offenders).isEmpty();
    }

    @Test
    void onlyTheHttpMappingLayerWritesChallengesAndNothingBuildsHttpErrorsByHand() {
        List<String> offenders = sources()
                .filter(f -> !Set.of("http/Problems.java", "http/OAuthErrors.java").contains(relative(f)))
                .filter(f -> code(f).contains("\"WWW-Authenticate\"") || code(f).contains("new ApiProblem"))
                .map(PackageBoundariesTest::relative).toList();
        assertThat(offenders).isEmpty();
    }

    /**
     * The client's address is decided in one place, {@code http.ClientOrigin}, which believes forwarding headers
     * only from trusted proxies: {@code ctx.ip()} is the proxy's address behind one (issue 10).
     */
    @Test
    void onlyClientOriginDecidesTheClientAddress() {
        List<String> offenders = sources()
                .filter(f -> !relative(f).equals("http/ClientOrigin.java"))
                .filter(f -> code(f).contains(".ip()") || code(f).contains("getRemoteAddr()"))
                .map(PackageBoundariesTest::relative).toList();
        assertThat(offenders).isEmpty();
    }

    /** Area → the other areas its sources name (root-package wiring such as {@code Services} is not an area). */
    private static Map<String, Set<String>> dependencies() {
        Map<String, Set<String>> uses = new TreeMap<>();
        sources().filter(f -> !f.getParent().equals(SOURCES)).forEach(f -> {
            String area = SOURCES.relativize(f).getName(0).toString();
            Set<String> mine = uses.computeIfAbsent(area, a -> new TreeSet<>());
            Matcher m = REFERENCE.matcher(code(f));
            while (m.find()) {
                if (!m.group(1).equals(area)) {
                    mine.add(m.group(1));
                }
            }
        });
        assertThat(uses).as("the areas were found").containsKeys("account", "session", "token", "oauth", "http");
        return uses;
    }

    private static boolean reaches(Map<String, Set<String>> uses, String from, String to, Set<String> seen) {
        if (from.equals(to)) {
            return true;
        }
        if (!seen.add(from)) {
            return false;
        }
        return uses.getOrDefault(from, Set.of()).stream().anyMatch(next -> reaches(uses, next, to, seen));
    }

    private static Stream<Path> sources() {
        try {
            return Files.walk(SOURCES).filter(f -> f.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String relative(Path f) {
        return SOURCES.relativize(f).toString().replace('\\', '/');
    }

    /** The source without comments: a Javadoc may mention what the code must not do. */
    private static String code(Path f) {
        try {
            return Files.readString(f).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
