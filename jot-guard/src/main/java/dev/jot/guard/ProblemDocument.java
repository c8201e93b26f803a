package dev.jot.guard;

import dev.jot.guard.AuthResult.Rejected;
import dev.jot.jwt.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal as the adapters send it: an RFC 9457 problem document {@code {"title","status","code","detail"}}
 * (and {@code "policy"} for a 429 {@code quota_exceeded}, with {@code Retry-After} and the RateLimit fields)
 * (the same shape as the Jot server's, {@code code} being the stable member programs switch on), with the RFC 6750
 * challenge in {@code WWW-Authenticate} and {@code Cache-Control: no-store}. The detail is the refusal's fixed
 * description: nothing of the request is echoed.
 */
public final class ProblemDocument {

    /** RFC 9457 §3. */
    public static final String CONTENT_TYPE = "application/problem+json";

    private ProblemDocument() {
    }

    /** The headers to send with {@link #json}, in order: challenge, content type, no caching. */
    public static Map<String, String> headers(Rejected r) {
        Map<String, String> h = new LinkedHashMap<>();
        if (!r.wwwAuthenticate().isEmpty()) {
            h.put("WWW-Authenticate", r.wwwAuthenticate());
        }
        h.put("Content-Type", CONTENT_TYPE);
        h.put("Cache-Control", "no-store"); // a refusal is about this request's credentials (RFC 6750 §5.1 spirit)
        if (r.rateLimit() != null) {
            h.put("Retry-After", Long.toString(r.rateLimit().resetSeconds())); // RFC 9110 §10.2.3: delay-seconds
            h.putAll(r.rateLimit().headers());
        }
        return h;
    }

    /** The body (UTF-8). */
    public static byte[] json(Rejected r) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title(r.status()));
        body.put("status", r.status());
        body.put("code", r.code());
        body.put("detail", r.description());
        if (r.rateLimit() != null) {
            body.put("policy", r.rateLimit().reported().name()); // the policy used up: "minute", "day", "month"
        }
        return Json.writeBytes(body);
    }

    /** The status's reason phrase (RFC 9110 §15), as the Jot server titles its problems. */
    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 429 -> "Too Many Requests";
            default -> "Error";
        };
    }
}
