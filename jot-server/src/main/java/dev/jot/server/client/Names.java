package dev.jot.server.client;

import dev.jot.server.error.ServerException;

/**
 * Names of API keys and clients: what people call them in lists. Trimmed, 1 to {@value #MAX} characters, and
 * text only: control characters, and format characters such as bidirectional overrides (which can make a list
 * read other than it is), are refused.
 */
final class Names {
    static final int MAX = 100;

    private Names() {
    }

    static String check(String raw) {
        if (raw.length() > 4 * MAX) {
            throw tooLong();
        }
        String name = raw.strip();
        int length = name.codePointCount(0, name.length());
        if (length == 0) {
            throw ServerException.badRequest("field 'name' must not be empty");
        }
        if (length > MAX) {
            throw tooLong();
        }
        boolean text = name.codePoints().allMatch(cp -> switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.PRIVATE_USE -> false;
            default -> true;
        });
        if (!text) {
            throw ServerException.badRequest("field 'name' may hold only printable text");
        }
        return name;
    }

    private static ServerException tooLong() {
        return ServerException.badRequest("field 'name' must be at most " + MAX + " characters");
    }
}
