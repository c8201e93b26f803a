package dev.jot.server.http;

import dev.jot.server.error.ServerException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes JSON answers, token responses, RFC 9457 problem documents and RFC 6749 §5.2 errors. */
public final class Responses {
    private Responses() {
    }

    /** A JSON answer; bodies are small maps and lists, written by the server's one codec ({@link JsonCodec}). */
    public static void json(Context ctx, int status, Map<String, ?> body) {
        write(ctx, status, "application/json", JsonCodec.write(body));
    }

    /**
     * The RFC 6749 §5.1 success body, shared by {@code /login}, {@code /refresh} and {@code /oauth2/token}; never
     * cached (§5.1: {@code Cache-Control: no-store}).
     */
    public static void tokens(Context ctx, TokenResponse tokens) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", tokens.accessToken());
        out.put("token_type", "Bearer");
        out.put("expires_in", tokens.expiresIn());
        tokens.refreshToken().ifPresent(r -> out.put("refresh_token", r));
        out.put("scope", tokens.scope());
        json(ctx, 200, out);
    }

    /** A problem document with the headers its error needs ({@link Problems}). */
    public static void problem(Context ctx, ServerException e) {
        Problems.headers(e).forEach(ctx::header);
        write(ctx, e.error().status(), Problems.MEDIA_TYPE, JsonCodec.write(Problems.body(e)));
    }

    /** An error in the RFC 6749 §5.2 shape, never cached. */
    public static void oauth(Context ctx, OAuthErrors.Answer answer) {
        answer.headers().forEach(ctx::header);
        ctx.header("Cache-Control", "no-store");
        ctx.header("Pragma", "no-cache");
        write(ctx, answer.status(), "application/json", JsonCodec.write(answer.body()));
    }

    /**
     * Reads and drops what is left of the request body before the answer is committed (found by fuzzing: an answer
     * given before the body was read — a 415, a 401 — went out as keep-alive, then Jetty, finding body bytes still
     * to come, closed the connection, and the client's next request on it read nothing). At most
     * {@link Requests#MAX_SWALLOW_BYTES}; beyond that, or when reading fails, the answer says
     * {@code Connection: close}. A client that asked {@code Expect: 100-continue} and was not told to continue has
     * sent no body: nothing is read (reading would invite it).
     */
    private static void finishReadingRequest(Context ctx) {
        if ("close".equalsIgnoreCase(ctx.res().getHeader("Connection")) || ctx.req().getContentLengthLong() == 0) {
            return;
        }
        String expect = ctx.header("Expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue")) {
            return;
        }
        try {
            java.io.InputStream in = ctx.req().getInputStream();
            byte[] sink = new byte[8192];
            long left = Requests.MAX_SWALLOW_BYTES;
            int n = 0;
            while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                left -= n;
            }
            if (n > 0) {
                ctx.header("Connection", "close");
            }
        } catch (IOException | IllegalStateException e) {
            ctx.header("Connection", "close"); // the body was read as characters, or the client stopped sending
        }
    }

    /**
     * Writes the bytes straight to the servlet response with their length. Javalin's result pipeline would copy
     * them through an input stream with a fresh 8 KiB buffer per response, which showed in /me profiles.
     * Flushing commits the response, which is how {@link ErrorMapping} knows an answer was already written.
     */
    private static void write(Context ctx, int status, String contentType, byte[] bytes) {
        finishReadingRequest(ctx);
        ctx.status(status).contentType(contentType);
        ctx.res().setContentLength(bytes.length);
        try {
            ctx.res().getOutputStream().write(bytes);
            ctx.res().flushBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException("client went away", e);
        }
    }
}
