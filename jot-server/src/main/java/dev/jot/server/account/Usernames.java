package dev.jot.server.account;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Username rules. A username is trimmed and NFKC-normalised (so look-alike compatibility forms such as
 * full-width letters collapse, per Unicode UAX #15), then must be 3–64 characters of: letters, combining marks
 * and digits of any script, and {@code . _ -}. Uniqueness is case-insensitive: the stored key is the
 * lower-cased form ({@link Locale#ROOT}), the display form keeps the user's case.
 */
public final class Usernames {
    public static final int MIN_LENGTH = 3;
    public static final int MAX_LENGTH = 64;
    private static final Pattern ALLOWED = Pattern.compile("[\\p{L}\\p{M}\\p{Nd}._-]+");

    private Usernames() {
    }

    /** A valid username in its two forms. */
    public record Username(String display, String normalized) {
    }

    /** The username, or an explanation of why it is not acceptable (never echoing the input). */
    public static Username parse(String raw) throws InvalidUsername {
        if (raw.length() > 4 * MAX_LENGTH) {
            throw new InvalidUsername("must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
        }
        String display = Normalizer.normalize(raw.strip(), Normalizer.Form.NFKC);
        int length = display.codePointCount(0, display.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new InvalidUsername("must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
        }
        if (!ALLOWED.matcher(display).matches()) {
            throw new InvalidUsername("may contain only letters, digits, '.', '_' and '-'");
        }
        if (mixesScripts(display)) {
            throw new InvalidUsername("must be written in one script (letters of two scripts can imitate another name)");
        }
        return new Username(display, display.toLowerCase(Locale.ROOT));
    }

    /**
     * The UTS #39 skeleton of a normalised name: two names with one skeleton look alike, and the second is refused
     * ({@link Confusables}).
     */
    public static String skeleton(String normalized) {
        return Confusables.skeleton(normalized);
    }

    /**
     * UTS #39 §5.2 "highly restrictive": one script, besides Common and Inherited characters (digits, {@code ._-},
     * combining marks), or one of the combinations a language writes with: Han with Hiragana and Katakana
     * (Japanese), Han with Hangul (Korean), Han with Bopomofo (Chinese).
     */
    static boolean mixesScripts(String name) {
        java.util.Set<Character.UnicodeScript> scripts = java.util.EnumSet.noneOf(Character.UnicodeScript.class);
        name.codePoints().forEach(cp -> {
            Character.UnicodeScript s = Character.UnicodeScript.of(cp);
            if (s != Character.UnicodeScript.COMMON && s != Character.UnicodeScript.INHERITED) {
                scripts.add(s);
            }
        });
        if (scripts.size() <= 1) {
            return false;
        }
        scripts.remove(Character.UnicodeScript.HAN);
        return !(scripts.equals(java.util.EnumSet.of(Character.UnicodeScript.HIRAGANA, Character.UnicodeScript.KATAKANA))
                || scripts.size() == 1 && (scripts.contains(Character.UnicodeScript.HIRAGANA)
                        || scripts.contains(Character.UnicodeScript.KATAKANA)
                        || scripts.contains(Character.UnicodeScript.HANGUL)
                        || scripts.contains(Character.UnicodeScript.BOPOMOFO)));
    }

    /** Why a username was refused. */
    public static final class InvalidUsername extends Exception {
        public InvalidUsername(String reason) {
            super("username " + reason, null, false, false);
        }
    }
}
