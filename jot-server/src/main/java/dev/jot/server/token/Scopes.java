package dev.jot.server.token;

import dev.jot.server.config.ScopeToken;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Scopes as OAuth 2.0 carries them (RFC 6749 §3.3): a set of scope-tokens, written space-separated in requests
 * and in the {@code scope} claim. Every list here keeps its first order and holds no duplicates.
 */
public final class Scopes {
    /** Reads the revocation feed ({@code GET /revocations}): resource servers' clients. */
    public static final String REVOCATIONS = "jot:revocations";
    /** Ships usage counts ({@code POST /usage/batches}): resource servers' clients. */
    public static final String USAGE = "jot:usage";
    /** Introspects tokens ({@code POST /oauth2/introspect}, RFC 7662 §2.1). */
    public static final String INTROSPECT = "jot:introspect";
    /** Most scopes one credential or token may carry. */
    public static final int MAX = 32;

    private Scopes() {
    }

    /**
     * The {@code scope} parameter of a token request; empty when absent or empty (RFC 6749 §3.2: an empty
     * parameter is as if omitted). Values are separated by spaces; a value outside the scope-token syntax (a
     * control character, a quote) or too many of them is {@code invalid_scope}.
     */
    public static Optional<List<String>> parameter(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        if (text.length() > MAX * (ScopeToken.MAX_LENGTH + 1)) {
            throw invalid("the scope parameter is too long");
        }
        List<String> items = new ArrayList<>();
        for (String item : text.split(" ", -1)) {
            if (!item.isEmpty()) { // tolerate doubled spaces: nothing else is ambiguous about them
                items.add(item);
            }
        }
        return items.isEmpty() ? Optional.empty() : Optional.of(checked(items));
    }

    /** A list of scope values from a JSON body: each a scope-token, at most {@link #MAX}, duplicates dropped. */
    public static List<String> checked(List<String> items) {
        if (items.size() > MAX) {
            throw invalid("at most " + MAX + " scopes");
        }
        for (String s : items) {
            if (!ScopeToken.isValid(s)) {
                throw invalid("a scope is 1-" + ScopeToken.MAX_LENGTH
                        + " printable ASCII characters without spaces, '\"' or '\\'");
            }
        }
        return List.copyOf(new LinkedHashSet<>(items));
    }

    /**
     * What a request gets: {@code requested} if every value is in {@code allowed}, else {@code invalid_scope};
     * all of {@code allowed} when nothing was requested (RFC 6749 §3.3: the server's default).
     */
    public static List<String> grant(Optional<List<String>> requested, List<String> allowed) {
        if (requested.isEmpty()) {
            return List.copyOf(allowed);
        }
        for (String s : requested.get()) {
            if (!allowed.contains(s)) {
                throw invalid("a requested scope is not one this credential may request; it may request: "
                        + String.join(" ", allowed));
            }
        }
        return requested.get();
    }

    /** Space-separated, as the {@code scope} claim and parameter carry them. */
    public static String format(List<String> scopes) {
        return String.join(" ", scopes);
    }

    /** Reads a stored, space-separated list (empty text: no scopes). */
    public static List<String> stored(String text) {
        return text == null || text.isEmpty() ? List.of() : List.of(text.split(" "));
    }

    private static ServerException invalid(String detail) {
        return new ServerException(ServerError.INVALID_SCOPE, detail);
    }
}
