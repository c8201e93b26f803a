package dev.jot.server.http;

import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.store.Database;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure of a request becomes a {@link ServerException} and is answered on the surface of the route that
 * failed: a problem document ({@link Problems}), or the RFC 6749 shape on routes wrapped by {@link #oauth}
 * ({@link OAuthErrors}). Unexpected exceptions are logged here and answered without details.
 */
public final class ErrorMapping {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);
    private static final String OAUTH_SURFACE = "jot.oauth-surface";

    private ErrorMapping() {
    }

    /** {@code handler} answers its errors in the RFC 6749 §5.2 shape (the OAuth 2.0 routes). */
    public static Handler oauth(Handler handler) {
        return ctx -> {
            ctx.attribute(OAUTH_SURFACE, Boolean.TRUE);
            handler.handle(ctx);
        };
    }

    public static void install(RoutesConfig routes) {
        routes.exception(ServerException.class, ErrorMapping::answer);
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            // Javalin's own refusals (a 405 lists the methods the resource has in its details) are answered as
            // problem documents whatever the route: no handler of the route ran.
            ServerException p = forStatus(e.getStatus());
            String allowed = e.getDetails().get("availableMethods");
            Responses.problem(ctx, e.getStatus() == 405 && allowed != null ? p.withArgument(allowed) : p);
        });
        routes.exception(Exception.class, (e, ctx) -> answer(classify(e, ctx), ctx));
        for (int status : new int[] {404, 405}) {
            routes.error(status, ctx -> {
                // Only when no handler answered: Responses writes straight to the response and commits it.
                if (ctx.result() == null && !ctx.res().isCommitted()) {
                    Responses.problem(ctx, forStatus(status));
                }
            });
        }
    }

    private static void answer(ServerException e, Context ctx) {
        if (Boolean.TRUE.equals(ctx.attribute(OAUTH_SURFACE))) {
            var oauth = OAuthErrors.answer(e);
            if (oauth.isPresent()) {
                Responses.oauth(ctx, oauth.get());
                return;
            }
        }
        Responses.problem(ctx, e);
    }

    /** What an exception that is not a {@link ServerException} means for the client. */
    private static ServerException classify(Exception e, Context ctx) {
        if (Database.isUnavailable(e)) {
            // The database is down or unreachable: a condition to retry, not a bug (RFC 9110 §15.6.4).
            LOG.warn("Database unavailable on {} {}: {}", ctx.method(), ctx.path(), Database.rootMessage(e));
            return new ServerException(ServerError.DATABASE_UNAVAILABLE, "the database is not reachable; try again shortly");
        }
        if (Database.isTransientConflict(e)) {
            LOG.warn("Database conflict on {} {}: {}", ctx.method(), ctx.path(), Database.rootMessage(e));
            return new ServerException(ServerError.DATABASE_BUSY, "the request collided with another one; try again");
        }
        LOG.error("Unhandled error on {} {}", ctx.method(), ctx.path(), e);
        return new ServerException(ServerError.INTERNAL_ERROR, "the server could not complete the request");
    }

    /** The refusal for a status that Javalin or Jetty decided, not a route. */
    static ServerException forStatus(int status) {
        return switch (status) {
            case 404 -> new ServerException(ServerError.NOT_FOUND, "no such resource");
            case 405 -> new ServerException(ServerError.METHOD_NOT_ALLOWED, "this resource does not support the method");
            case 413 -> Requests.tooLarge();
            case 414 -> new ServerException(ServerError.URI_TOO_LONG, "the request URI is too long");
            case 415 -> new ServerException(ServerError.UNSUPPORTED_MEDIA_TYPE, "unsupported content type");
            case 431 -> new ServerException(ServerError.HEADERS_TOO_LARGE, "the request's header fields are too large");
            default -> status < 500 ? ServerException.badRequest("the request was not accepted")
                    : new ServerException(ServerError.INTERNAL_ERROR, "the server could not complete the request");
        };
    }
}
