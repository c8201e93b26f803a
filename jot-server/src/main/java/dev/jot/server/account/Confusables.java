package dev.jot.server.account;

import java.text.Normalizer;
import java.util.Map;

/**
 * The Unicode TS #39 §4 skeleton of a username: {@code NFD(map(NFD(name)))}, where {@code map} replaces each
 * character by its prototype from a confusables table. Two names with equal skeletons look alike.
 *
 * <p>The table is a small subset of Unicode's {@code confusables.txt}, chosen because {@link Usernames} refuses
 * names that mix scripts (UTS #39 §5.2, "highly restrictive"): what is left to catch is a name written wholly in one
 * script that imitates a Latin one, and Latin look-alikes within Latin. So the table holds the prototypes of
 * confusables.txt whose target is a lower-case Latin letter or digit, for Cyrillic, Greek and Armenian (the scripts
 * whose letters pass for Latin ones), and the Latin-within-Latin entries that matter for names (0/o, 1/l, rn/m,
 * cl/d, dotless i). ICU4J's SpoofChecker has the full table but is a 14 MB dependency for the server; the full
 * file's other ~6,000 entries map symbols, other scripts and upper case, which usernames (lower-cased, letters,
 * digits and {@code ._-}, one script) cannot contain or do not need.
 */
final class Confusables {
    private static final Map<Integer, String> PROTOTYPES = Map.ofEntries(
            // Latin within Latin
            Map.entry((int) '0', "o"), Map.entry((int) '1', "l"), Map.entry((int) 'm', "rn"), Map.entry((int) 'd', "cl"),
            Map.entry(0x0131, "i"), // ı dotless i
            Map.entry(0x0261, "g"), // ɡ script g
            Map.entry(0x01C0, "l"), // ǀ dental click
            // Cyrillic
            Map.entry(0x0430, "a"), Map.entry(0x0441, "c"), Map.entry(0x0501, "cl"), Map.entry(0x0435, "e"),
            Map.entry(0x04BB, "h"), Map.entry(0x0456, "i"), Map.entry(0x0458, "j"), Map.entry(0x04CF, "l"),
            Map.entry(0x043E, "o"), Map.entry(0x0440, "p"), Map.entry(0x051B, "q"), Map.entry(0x0455, "s"),
            Map.entry(0x051D, "w"), Map.entry(0x0445, "x"), Map.entry(0x0443, "y"), Map.entry(0x0475, "v"),
            Map.entry(0x044C, "b"),
            // Greek
            Map.entry(0x03B1, "a"), Map.entry(0x03BF, "o"), Map.entry(0x03BD, "v"), Map.entry(0x03C1, "p"),
            Map.entry(0x03B9, "i"), Map.entry(0x03C7, "x"), Map.entry(0x03B3, "y"), Map.entry(0x03F2, "c"),
            Map.entry(0x03F3, "j"), Map.entry(0x03C5, "u"), Map.entry(0x03BA, "k"),
            // Armenian
            Map.entry(0x0585, "o"), Map.entry(0x057D, "u"), Map.entry(0x0581, "g"), Map.entry(0x0570, "h"),
            Map.entry(0x0578, "n"), Map.entry(0x0566, "q"), Map.entry(0x0561, "w"));

    private Confusables() {
    }

    /** The skeleton of {@code name} (already NFKC-normalised and lower-cased by {@link Usernames}). */
    static String skeleton(String name) {
        String nfd = Normalizer.normalize(name, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(nfd.length());
        nfd.codePoints().forEach(cp -> {
            String prototype = PROTOTYPES.get(cp);
            if (prototype != null) {
                out.append(prototype);
            } else {
                out.appendCodePoint(cp);
            }
        });
        return Normalizer.normalize(out, Normalizer.Form.NFD);
    }
}
