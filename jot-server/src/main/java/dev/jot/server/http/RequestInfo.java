package dev.jot.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * What the server notes about one request for its logs and meters: its id and, once Javalin has matched it, the
 * template of its route ({@code /admin/users/{id}}). Made by {@link ResponseHeaders} in Jetty before any handler,
 * so that Jetty's own answers carry an id too, and read by {@link RequestObserver} when the answer is complete.
 *
 * <p>The id is the client's {@code X-Request-Id} when it is {@value #ID_PATTERN_TEXT} (a proxy's or a caller's id
 * joins the logs up), else a fresh random one; either way it is sent back as {@code X-Request-Id} and is the
 * {@value #MDC_KEY} of every log line written while the request is handled.
 */
public final class RequestInfo {
    public static final String HEADER = "X-Request-Id";
    /** The MDC key (and JSON log field) of the request id. */
    public static final String MDC_KEY = "request_id";
    static final String ATTRIBUTE = "dev.jot.request";
    private static final String ID_PATTERN_TEXT = "1 to 64 of [A-Za-z0-9._-]";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** Unmatched requests (404s, Jetty's own refusals) share one route label. */
    public static final String UNMATCHED = "unmatched";

    private final String id;
    private volatile String route;

    private RequestInfo(String id) {
        this.id = id;
    }

    /** The id for a request that sent {@code incoming} (null: none): it, when well-formed, else a new one. */
    static RequestInfo forIncoming(String incoming) {
        return new RequestInfo(incoming != null && ID.matcher(incoming).matches() ? incoming : newId());
    }

    private static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("%016x%016x", r.nextLong(), r.nextLong());
    }

    public String id() {
        return id;
    }

    /** The matched route's template, or {@link #UNMATCHED}. */
    public String route() {
        String r = route;
        return r == null ? UNMATCHED : r;
    }

    /** The request's info (a fresh one if Jetty's customizer did not run, which it always does). */
    public static RequestInfo of(Context ctx) {
        if (ctx.req().getAttribute(ATTRIBUTE) instanceof RequestInfo info) {
            return info;
        }
        RequestInfo info = forIncoming(null);
        ctx.req().setAttribute(ATTRIBUTE, info);
        return info;
    }

    /**
     * Puts the id in the MDC for the handlers' log lines (each request runs on a virtual thread of its own), and
     * notes the matched route's template once the handlers ran.
     */
    public static void install(RoutesConfig routes) {
        routes.before(ctx -> MDC.put(MDC_KEY, of(ctx).id()));
        routes.after(ctx -> {
            Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
            if (matched != null) {
                of(ctx).route = matched.path;
            }
            MDC.remove(MDC_KEY);
        });
    }
}
