package dev.jot.server.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** API keys and client secrets: GitHub's format (prefix, 190 random bits in base62, CRC32 checksum), as documented. */
class SecretsTest {
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    @Test
    void aSecretIsThePrefixThirtyTwoRandomCharactersAndTheirChecksumAsTheScannerRegexSays() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String s = Secrets.generate();
            assertThat(s).hasSize(42).startsWith("jot_");
            assertThat(Secrets.SCANNER.matcher("token=" + s + ";").find()).isTrue();
            assertThat(Secrets.wellFormed(s)).isTrue();
            assertThat(Secrets.start(s)).isEqualTo(s.substring(0, 8));
            seen.add(s);
        }
        assertThat(seen).hasSize(1_000);
    }

    @Test
    void theChecksumIsTheDocumentedCrc32InBase62() {
        // Known answers a secret scanner can check its own implementation against.
        assertThat(Secrets.checksum("0".repeat(32))).isEqualTo("2wjyrI");
        assertThat(Secrets.wellFormed("jot_7bJcTq0fWm1Zk4XyLrA9sPdE2vHnG8uC0qLZV4")).as("the example in docs/security.md").isTrue();
    }

    @Test
    void everySingleCharacterTypoIsCaughtWithoutALookup() {
        String s = Secrets.generate();
        int caught = 0;
        for (int i = 4; i < s.length(); i++) {
            for (char c : BASE62.toCharArray()) {
                if (c != s.charAt(i)) {
                    assertThat(Secrets.wellFormed(s.substring(0, i) + c + s.substring(i + 1))).as("position %d", i)
                            .isFalse();
                    caught++;
                }
            }
        }
        assertThat(caught).isEqualTo(38 * 61);
    }

    @Test
    void lookAlikesAreNotWellFormed() {
        String s = Secrets.generate();
        for (String bad : new String[] {null, "", "jot_", s.substring(1), s + "a", "JOT_" + s.substring(4),
                "jwt_" + s.substring(4), s.substring(0, 41) + "!", s.replace(s.charAt(10), '-')}) {
            assertThat(Secrets.wellFormed(bad)).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void theRandomCharactersUseAllSixtyTwoEvenly() {
        int[] counts = new int[128];
        int secrets = 5_000;
        for (int i = 0; i < secrets; i++) {
            Secrets.generate().substring(4, 36).chars().forEach(c -> counts[c]++);
        }
        double expected = secrets * 32 / 62.0; // ~2,580 each; a modulo bias would give 8 of them 25% more
        for (char c : BASE62.toCharArray()) {
            assertThat((double) counts[c]).as("'%s'", c).isBetween(expected * 0.85, expected * 1.15);
        }
    }

    @Test
    void theStoredFormIsTheBase64urlSha256() {
        assertThat(Secrets.hash("jot_7bJcTq0fWm1Zk4XyLrA9sPdE2vHnG8uC0qLZV4")).hasSize(43).matches("[A-Za-z0-9_-]+")
                .isEqualTo(Secrets.hash("jot_7bJcTq0fWm1Zk4XyLrA9sPdE2vHnG8uC0qLZV4"))
                .isNotEqualTo(Secrets.hash("jot_7bJcTq0fWm1Zk4XyLrA9sPdE2vHnG8uC0qLZV5"));
        // SHA-256 of the ASCII bytes, as sha256sum would print it (hex) for the same text:
        assertThat(java.util.HexFormat.of().formatHex(java.util.Base64.getUrlDecoder()
                .decode(Secrets.hash("abc")))).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
