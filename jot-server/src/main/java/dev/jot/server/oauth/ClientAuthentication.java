package dev.jot.server.oauth;

import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * How a confidential client authenticated at the token endpoint (RFC 6749 §2.3.1): {@code client_secret_basic}
 * (HTTP Basic, with the id and secret each form-encoded first) or {@code client_secret_post} (the
 * {@code client_id} and {@code client_secret} parameters). One method per request (§2.3).
 *
 * @param basic whether HTTP Basic was used: a failure is then a 401 with a Basic challenge (§5.2)
 */
record ClientAuthentication(String clientId, String secret, boolean basic) {

    @Override
    public String toString() {
        return "ClientAuthentication[" + clientId + ", basic=" + basic + "]"; // never the secret
    }

    /** The client's credentials from the request, if it sent any (a secret is required either way). */
    static Optional<ClientAuthentication> from(Context ctx, Map<String, String> form) {
        String header = ctx.header("Authorization");
        boolean posted = nonEmpty(form.get("client_secret"));
        if (header != null) {
            if (posted) {
                throw ServerException.badRequest("send the client's credentials one way: HTTP Basic or the "
                        + "client_secret parameter (RFC 6749 §2.3)");
            }
            return Optional.of(basic(header));
        }
        if (!posted) {
            return Optional.empty();
        }
        String id = form.get("client_id");
        if (!nonEmpty(id)) {
            throw new ServerException(ServerError.INVALID_CLIENT, "client authentication failed");
        }
        return Optional.of(new ClientAuthentication(id, form.get("client_secret"), false));
    }

    /** {@code Authorization: Basic base64(urlencode(id):urlencode(secret))}; anything else fails as Basic. */
    private static ClientAuthentication basic(String header) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw failedBasic(); // another scheme: the challenge tells the client which one to use
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw failedBasic();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw failedBasic();
        }
        try {
            return new ClientAuthentication(URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8), true);
        } catch (IllegalArgumentException e) {
            throw failedBasic();
        }
    }

    private static ServerException failedBasic() {
        return new ServerException(ServerError.INVALID_CLIENT_BASIC, "client authentication failed");
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
