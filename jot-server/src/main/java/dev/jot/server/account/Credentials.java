package dev.jot.server.account;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.http.Requests;
import io.javalin.http.Context;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;

/** Username and password from HTTP Basic (RFC 7617), a JSON body, or form fields, in that order. */
record Credentials(String username, String password, boolean basic) {

    @Override
    public String toString() {
        return "Credentials[username=" + username + "]"; // never the password
    }

    static Credentials from(Context ctx) {
        String auth = ctx.header("Authorization");
        // The scheme alone ("Basic": a trailing space is trimmed in transit) is Basic without credentials, a 400,
        // not a request in some other form.
        if (auth != null && auth.regionMatches(true, 0, "Basic", 0, 5)
                && (auth.length() == 5 || auth.charAt(5) == ' ')) {
            return basic(auth.substring(5).trim());
        }
        if (Requests.isJson(ctx)) {
            ObjectNode o = Requests.jsonObject(ctx);
            return new Credentials(Requests.requiredString(o, "username"), Requests.requiredString(o, "password"), false);
        }
        if (Requests.isForm(ctx)) {
            Map<String, String> f = Requests.form(ctx);
            return new Credentials(Requests.requiredField(f, "username"), Requests.requiredField(f, "password"), false);
        }
        throw Requests.unsupportedMediaType("application/json, application/x-www-form-urlencoded");
    }

    private static Credentials basic(String encoded) {
        String decoded;
        try {
            // RFC 7617 §2.1: UTF-8, refused when malformed rather than quietly replaced by U+FFFD
            decoded = Requests.utf8(Base64.getDecoder().decode(encoded), "the Basic credentials");
        } catch (IllegalArgumentException e) {
            throw ServerException.badRequest("the Basic credentials are not valid base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw ServerException.badRequest("the Basic credentials need the form username:password");
        }
        return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1), true);
    }

    /**
     * Runs the login; a refusal of credentials that came by HTTP Basic becomes the one that carries the Basic
     * challenge ({@link ServerError#INVALID_BASIC_CREDENTIALS}), so only a Basic client is challenged with Basic.
     */
    <T> T challengeIfBasic(Supplier<T> login) {
        try {
            return login.get();
        } catch (ServerException e) {
            if (basic && e.error() == ServerError.INVALID_CREDENTIALS) {
                throw new ServerException(ServerError.INVALID_BASIC_CREDENTIALS, e.detail());
            }
            throw e;
        }
    }
}
