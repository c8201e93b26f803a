package dev.jot.server.http;

import dev.jot.server.store.Database;
import io.javalin.config.RoutesConfig;
import java.util.Map;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every failure becomes a problem document; unexpected ones are logged here and answered without details. */
public final class ErrorMapping {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

    private ErrorMapping() {
    }

    public static void install(RoutesConfig routes) {
        routes.exception(ApiProblem.class, (e, ctx) -> Responses.problem(ctx, e));
        routes.exception(OAuthError.class, (e, ctx) -> Responses.oauthError(ctx, e));
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            // RFC 9110 §15.5.6: a 405 names the methods the resource has (Javalin lists them in the details)
            String allowed = e.getDetails().get("availableMethods");
            if (e.getStatus() == 405 && allowed != null) {
                ctx.header("Allow", allowed);
            }
            Responses.problem(ctx, forStatus(e.getStatus()));
        });
        routes.exception(Exception.class, (e, ctx) -> {
            if (Database.isUnavailable(e)) {
                // The database is down or unreachable: a condition to retry, not a bug (RFC 9110 §15.6.4).
                LOG.warn("Database unavailable on {} {}: {}", ctx.method(), ctx.path(), Database.rootMessage(e));
                Responses.problem(ctx, new ApiProblem(503, "database_unavailable",
                        "the database is not reachable; try again shortly", Map.of("Retry-After", "5")));
                return;
            }
            if (Database.isTransientConflict(e)) {
                LOG.warn("Database conflict on {} {}: {}", ctx.method(), ctx.path(), Database.rootMessage(e));
                Responses.problem(ctx, new ApiProblem(503, "database_busy",
                        "the request collided with another one; try again", Map.of("Retry-After", "1")));
                return;
            }
            LOG.error("Unhandled error on {} {}", ctx.method(), ctx.path(), e);
            Responses.problem(ctx, new ApiProblem(500, "internal_error", "the server could not complete the request"));
        });
        for (int status : new int[] {404, 405}) {
            routes.error(status, ctx -> {
                // Only when no handler answered: Responses writes straight to the response and commits it.
                if (ctx.result() == null && !ctx.res().isCommitted()) {
                    Responses.problem(ctx, forStatus(status));
                }
            });
        }
    }

    /** The problem document for a status that Javalin or Jetty decided, not a route. */
    static ApiProblem forStatus(int status) {
        return switch (status) {
            case 404 -> new ApiProblem(404, "not_found", "no such resource");
            case 405 -> new ApiProblem(405, "method_not_allowed", "this resource does not support the method");
            case 413 -> new ApiProblem(413, "payload_too_large", "request bodies are limited to "
                    + Requests.MAX_BODY_BYTES + " bytes");
            case 414 -> new ApiProblem(414, "uri_too_long", "the request URI is too long");
            case 415 -> new ApiProblem(415, "unsupported_media_type", "unsupported content type");
            case 431 -> new ApiProblem(431, "headers_too_large", "the request's header fields are too large");
            default -> status < 500 ? new ApiProblem(status, "invalid_request", "the request was not accepted")
                    : new ApiProblem(status, "internal_error", "the server could not complete the request");
        };
    }
}
