package dev.jot.server.http;

import dev.jot.jwt.Json;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes JSON answers and RFC 9457 problem documents. */
public final class Responses {
    private Responses() {
    }

    /** Answers are small maps of strings, numbers and lists, which jot-jwt's JSON writer handles directly. */
    public static void json(Context ctx, int status, Map<String, ?> body) {
        write(ctx, status, "application/json", Json.writeBytes(body));
    }

    /**
     * Writes the bytes straight to the servlet response with their length. Javalin's result pipeline would copy
     * them through an input stream with a fresh 8 KiB buffer per response, which showed in /me profiles.
     * Flushing commits the response, which is how {@link ErrorMapping} knows an answer was already written.
     */
    private static void write(Context ctx, int status, String contentType, byte[] bytes) {
        ctx.status(status).contentType(contentType);
        ctx.res().setContentLength(bytes.length);
        try {
            ctx.res().getOutputStream().write(bytes);
            ctx.res().flushBuffer();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("client went away", e);
        }
    }

    /**
     * {@code application/problem+json} (RFC 9457 §3): {@code title}, {@code status}, {@code detail}, plus the
     * stable {@code code} extension member that programs should switch on. {@code type} is omitted, which per
     * §4.2.1 means {@code about:blank}.
     */
    public static void problem(Context ctx, ApiProblem p) {
        p.headers().forEach(ctx::header);
        write(ctx, p.status(), "application/problem+json", problemBody(p));
    }

    static byte[] problemBody(ApiProblem p) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title(p.status()));
        body.put("status", p.status());
        body.put("code", p.code());
        body.put("detail", p.detail());
        return Json.writeBytes(body);
    }

    /** RFC 6749 §5.2: {@code error} and {@code error_description}, never cached. */
    public static void oauthError(Context ctx, OAuthError e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("error_description", e.description());
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
        write(ctx, e.status(), "application/json", Json.writeBytes(body));
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
