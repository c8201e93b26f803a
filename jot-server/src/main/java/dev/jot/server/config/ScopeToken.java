package dev.jot.server.config;

/**
 * RFC 6749 §3.3's syntax of one scope value, {@code scope-token = 1*( %x21 / %x23-5B / %x5D-7E )}: printable ASCII
 * without space, {@code "} or {@code \}. Shared by the settings that name scopes and by token requests.
 */
public final class ScopeToken {
    /** Longer scope values are refused everywhere: no real scope needs more, and they end up in every token. */
    public static final int MAX_LENGTH = 128;
    /**
     * The server's own role for its administrators. Jot's guard grants a role to a token that lists it in
     * {@code roles} or in {@code scope} (RFC 9068 §2.2.3), so no credential may carry it as a scope: a client or an
     * API key would otherwise act as an admin.
     */
    public static final String ADMIN = "admin";

    private ScopeToken() {
    }

    public static boolean isValid(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
