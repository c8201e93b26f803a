package dev.jot.server.account;

import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Role names: 1-32 of {@code a-z 0-9 _ -}, at most {@value #MAX} per user (they are stored comma-separated). */
public final class Roles {
    public static final int MAX = 16;
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,32}");

    private Roles() {
    }

    /** The roles, checked (400 {@code invalid_role}), without duplicates, in their first order. */
    public static List<String> check(List<String> roles) {
        if (roles.size() > MAX) {
            throw new ServerException(ServerError.INVALID_ROLE, "a user has at most " + MAX + " roles");
        }
        for (String role : roles) {
            if (role == null || !NAME.matcher(role).matches()) {
                throw new ServerException(ServerError.INVALID_ROLE, "a role is 1-32 of a-z, 0-9, '_' and '-'");
            }
        }
        return List.copyOf(new LinkedHashSet<>(roles));
    }
}
