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
        return new Username(display, display.toLowerCase(Locale.ROOT));
    }

    /** Why a username was refused. */
    public static final class InvalidUsername extends Exception {
        public InvalidUsername(String reason) {
            super("username " + reason, null, false, false);
        }
    }
}
