package dev.jot.guard;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where the guard may fetch from. Keys and revocations decide who gets in, so they travel over TLS: {@code https}
 * is required (RFC 8414 §3.2, OpenID Connect Discovery §4), except towards a loopback address, where there is no
 * network to protect (a server and its API on one machine, tests). The host is judged as written, never resolved:
 * {@code localhost}, {@code 127.0.0.0/8} and {@code ::1}.
 */
final class Endpoints {

    private Endpoints() {
    }

    /** {@code uri} if it may be fetched; otherwise {@link IllegalArgumentException} saying why. */
    static URI requireFetchable(URI uri, String what) {
        if (!uri.isAbsolute() || uri.getHost() == null) {
            throw new IllegalArgumentException(what + " must be an absolute http(s) URL");
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(what + " must not carry user information or a fragment");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return uri;
        }
        if (scheme.equals("http") && isLoopback(uri.getHost())) {
            return uri;
        }
        throw new IllegalArgumentException(what + " must use https (plain http only to a loopback address)");
    }

    /** The issuer as an URL: RFC 8414 §2, {@code https} with no query or fragment. */
    static URI issuer(String issuer) {
        URI uri;
        try {
            uri = new URI(issuer);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the issuer is not a URL", e);
        }
        if (uri.getRawQuery() != null) {
            throw new IllegalArgumentException("an issuer has no query component (RFC 8414 §2)");
        }
        return requireFetchable(uri, "the issuer");
    }

    /**
     * The OpenID Connect discovery document of {@code issuer} (Discovery §4: the issuer, without a trailing
     * slash, followed by {@code /.well-known/openid-configuration}).
     */
    static URI discovery(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return URI.create(base + "/.well-known/openid-configuration");
    }

    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.equals("[::1]") || h.equals("::1")) {
            return true;
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
