package dev.jot.server.store;

import dev.jot.server.error.ServerException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The position of a row in a list ordered by creation time, then id: what a page's {@code next} cursor encodes.
 * Opaque to clients (base64url of {@code <epoch microseconds>:<id>}); a cursor that does not decode is a 400.
 */
public record Cursor(Instant at, String id) {
    private static final Pattern FORM = Pattern.compile("(-?[0-9]{1,19}):([A-Za-z0-9-]{1,64})");
    private static final int MAX_LENGTH = 128;

    public String encode() {
        long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    /** The cursor {@code text} encodes; 400 {@code invalid_request} for anything this class did not make. */
    public static Cursor decode(String text) {
        if (text.length() > MAX_LENGTH) {
            throw invalid();
        }
        String plain;
        try {
            plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        Matcher m = FORM.matcher(plain);
        if (!m.matches()) {
            throw invalid();
        }
        try {
            long micros = Long.parseLong(m.group(1));
            return new Cursor(Instant.EPOCH.plusNanos(Math.multiplyExact(Math.floorMod(micros, 1_000_000L), 1_000L))
                    .plusSeconds(Math.floorDiv(micros, 1_000_000L)), m.group(2));
        } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
            throw invalid();
        }
    }

    private static ServerException invalid() {
        return ServerException.badRequest("'cursor' is not a cursor this server gave out");
    }
}
