package dev.jot.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in README.md, ARCHITECTURE.md, docs/ and the module READMEs leads to a file of this repository,
 * and to a heading of it when the link names an anchor: a clone of the repository has everything the docs point at.
 */
class DocsLinksTest {
    /** {@code [text](target)} or {@code [text](target "title")}, outside inline code. */
    private static final Pattern LINK = Pattern.compile("\\[[^]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

    @Test
    void everyRelativeLinkResolvesToAFileOfTheRepositoryAndItsHeading() {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path file : Docs.files()) {
            List<String> prose = Docs.prose(Docs.read(file));
            for (int i = 0; i < prose.size(); i++) {
                Matcher m = LINK.matcher(INLINE_CODE.matcher(prose.get(i)).replaceAll(""));
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
                        continue; // https:, mailto: ...
                    }
                    checked++;
                    String problem = problem(file, target);
                    if (problem != null) {
                        broken.add(Docs.name(file) + ":" + (i + 1) + ": " + target + ": " + problem);
                    }
                }
            }
        }
        assertThat(broken).as("broken links").isEmpty();
        assertThat(checked).as("relative links found (the docs link to each other)").isGreaterThan(20);
    }

    @Test
    void theDocsNeverPointOutsideTheRepository() {
        List<String> outside = new ArrayList<>();
        for (Path file : Docs.files()) {
            List<String> lines = Docs.read(file).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("../shared") || lines.get(i).contains("/work/")) {
                    outside.add(Docs.name(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertThat(outside).isEmpty();
    }

    @Test
    void anchorsAreMadeAsGitHubMakesThem() {
        String[][] cases = {
                {"OAuth 2.0", "oauth-20"},
                {"Machine clients: API keys and OAuth clients", "machine-clients-api-keys-and-oauth-clients"},
                {"Signing keys and `jot admin`", "signing-keys-and-jot-admin"},
                {"The revocation feed", "the-revocation-feed"},
        };
        for (String[] c : cases) {
            assertThat(Docs.slug(c[0])).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(Docs.anchors("# A\n## B\n```\n# not a heading\n```\n## B\n")).containsExactly("a", "b", "b-1");
    }

    private static String problem(Path from, String target) {
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
        if (!resolved.startsWith(Docs.ROOT)) {
            return "outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (anchor != null && resolved.toString().endsWith(".md")
                && !Docs.anchors(Docs.read(resolved)).contains(anchor)) {
            return "no heading makes the anchor #" + anchor;
        }
        return null;
    }
}
