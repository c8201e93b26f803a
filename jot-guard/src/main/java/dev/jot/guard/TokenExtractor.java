package dev.jot.guard;

import dev.jot.jwt.Json;
import dev.jot.jwt.JwtException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Finds the one bearer token a request presents through the configured {@link TokenSource}s. */
final class TokenExtractor {

    /** The outcome of looking for a token: none, exactly one, or a request to refuse with 400. */
    sealed interface Extraction {
    }

    record Absent() implements Extraction {
    }

    /**
     * The token is {@code source} from index {@code from} on: a header value keeps its scheme in front, so a
     * request served from the cache never copies the token out ({@link #token()} does, for the verifier).
     * Equal when the tokens are.
     */
    record Found(String source, int from) implements Extraction {
        Found(String token) {
            this(token, 0);
        }

        String token() {
            return from == 0 ? source : source.substring(from);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Found f && f.token().equals(token());
        }

        @Override
        public int hashCode() {
            return token().hashCode();
        }

        @Override
        public String toString() {
            return "Found[" + token() + "]";
        }
    }

    /** {@code description} is a fixed text from this class: it never quotes the request. */
    record Malformed(String description) implements Extraction {
    }

    static final String MORE_THAN_ONE_METHOD = "The access token was sent by more than one method";
    static final String BAD_BEARER = "The Authorization header is not a valid Bearer credential";
    static final String BAD_CHARACTERS = "The access token contains characters that are not allowed";
    static final String REPEATED = "The access token was sent more than once";
    static final String BODY_TOO_LARGE = "The request body is too large to search for an access token";
    static final String BODY_NOT_STRING = "The access token member of the body is not a string";

    private static final Absent ABSENT = new Absent();
    private static final String AUTHORIZATION = "Authorization";
    private static final String BEARER = "Bearer";

    private TokenExtractor() {
    }

    /** Every source is consulted, so a second token anywhere is noticed (RFC 6750 §2); the first problem wins. */
    static Extraction extract(List<TokenSource> sources, GuardRequest request) {
        Found found = null;
        for (TokenSource source : sources) {
            switch (lookup(source, request)) {
                case Absent a -> {
                }
                case Malformed m -> {
                    return m;
                }
                case Found f -> {
                    if (found != null) {
                        return new Malformed(MORE_THAN_ONE_METHOD);
                    }
                    found = f;
                }
            }
        }
        return found == null ? ABSENT : found;
    }

    static Extraction lookup(TokenSource source, GuardRequest request) {
        return switch (source) {
            case TokenSource.AuthorizationBearer b -> fromAuthorization(request.headers(AUTHORIZATION), false);
            case TokenSource.BareAuthorization b -> fromAuthorization(request.headers(AUTHORIZATION), true);
            case TokenSource.Header h -> single(request.headers(h.name()), true);
            case TokenSource.QueryParameter q -> single(request.queryParameters(q.name()), false);
            case TokenSource.Cookie c -> single(request.cookies(c.name()), true);
            case TokenSource.JsonBodyField f -> fromJsonBody(request, f);
        };
    }

    private static Extraction fromAuthorization(List<String> values, boolean bare) {
        Extraction result = ABSENT;
        for (String raw : values) {
            Extraction e = bare ? bare(trimOws(raw)) : bearer(trimOws(raw));
            if (e instanceof Malformed) {
                return e;
            }
            if (e instanceof Found) {
                if (result instanceof Found) {
                    return new Malformed(REPEATED); // Authorization is not a list-valued field (RFC 9110 §11.6.2)
                }
                result = e;
            }
        }
        return result;
    }

    /** RFC 6750 §2.1: {@code credentials = "Bearer" 1*SP b64token}; Jot accepts exactly one space. */
    private static Extraction bearer(String value) {
        int n = BEARER.length();
        if (!value.regionMatches(true, 0, BEARER, 0, n)) {
            return ABSENT;
        }
        if (value.length() > n && value.charAt(n) != ' ' && value.charAt(n) != '\t') {
            return ABSENT; // a longer scheme name, such as "BearerX": not ours
        }
        if (value.length() < n + 2 || value.charAt(n) != ' ' || !isB64Token(value, n + 1)) {
            return new Malformed(BAD_BEARER);
        }
        return new Found(value, n + 1);
    }

    private static Extraction bare(String value) {
        return isB64Token(value, 0) && value.indexOf('.') > 0 ? new Found(value) : ABSENT;
    }

    /** A header, parameter or cookie whose whole value is the token. */
    private static Extraction single(List<String> values, boolean trim) {
        String token = null;
        for (String raw : values) {
            String v = raw == null ? "" : trim ? trimOws(raw) : raw;
            if (v.isEmpty()) {
                continue; // an empty placeholder (a cleared cookie, "?access_token=") presents no token
            }
            if (token != null && !token.equals(v)) {
                return new Malformed(REPEATED);
            }
            token = v;
        }
        if (token == null) {
            return ABSENT;
        }
        return isB64Token(token, 0) ? new Found(token) : new Malformed(BAD_CHARACTERS);
    }

    private static Extraction fromJsonBody(GuardRequest request, TokenSource.JsonBodyField field) {
        if (!isJson(request.headers("Content-Type"))) {
            return ABSENT;
        }
        if (declaredLength(request) > field.maxBodyBytes()) {
            return new Malformed(BODY_TOO_LARGE); // refused unread: the request says so itself
        }
        byte[] body = request.body();
        if (body == null || body.length == 0) {
            return ABSENT;
        }
        if (body.length > field.maxBodyBytes()) {
            return new Malformed(BODY_TOO_LARGE);
        }
        Map<String, Object> members;
        try {
            members = Json.parseObject(body, Json.DEFAULT_MAX_DEPTH);
        } catch (JwtException notAJsonObject) {
            return ABSENT; // the endpoint judges its own body; here it simply holds no token
        }
        Object value = members.get(field.name());
        if (value == null) {
            return ABSENT;
        }
        if (!(value instanceof String s)) {
            return new Malformed(BODY_NOT_STRING);
        }
        if (s.isEmpty()) {
            return ABSENT;
        }
        return isB64Token(s, 0) ? new Found(s) : new Malformed(BAD_CHARACTERS);
    }

    /** The {@code Content-Length} (RFC 9110 §8.6), or -1 when absent or not a single number. */
    private static long declaredLength(GuardRequest request) {
        List<String> values = request.headers("Content-Length");
        if (values.size() != 1) {
            return -1;
        }
        String v = values.get(0).strip();
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(v);
    }

    /** {@code application/json} or any {@code application/*+json} (RFC 6839 §3.1), parameters ignored. */
    private static boolean isJson(List<String> contentTypes) {
        if (contentTypes.size() != 1) {
            return false;
        }
        String type = contentTypes.get(0);
        int semi = type.indexOf(';');
        type = trimOws(semi < 0 ? type : type.substring(0, semi)).toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
    }

    /** RFC 6750 §2.1 {@code b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    static boolean isB64Token(String s, int from) {
        int i = from;
        int n = s.length();
        while (i < n && isB64Char(s.charAt(i))) {
            i++;
        }
        if (i == from) {
            return false;
        }
        while (i < n && s.charAt(i) == '=') {
            i++;
        }
        return i == n;
    }

    private static boolean isB64Char(char c) {
        return c < 128 && B64_CHARS[c];
    }

    /** The b64token characters, as a table: this runs over every character of every token. */
    private static final boolean[] B64_CHARS = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            B64_CHARS[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
        }
    }

    /** Field values carry no leading or trailing whitespace (RFC 9110 §5.5); servers usually strip it already. */
    private static String trimOws(String v) {
        int start = 0;
        int end = v.length();
        while (start < end && (v.charAt(start) == ' ' || v.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (v.charAt(end - 1) == ' ' || v.charAt(end - 1) == '\t')) {
            end--;
        }
        return start == 0 && end == v.length() ? v : v.substring(start, end);
    }
}
