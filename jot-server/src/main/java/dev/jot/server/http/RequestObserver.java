package dev.jot.server.http;

import dev.jot.server.metrics.Metrics;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Called by Jetty once each answer is complete (Jetty's own refusals included): counts it in
 * {@code http_server_requests_seconds} and, when the access log is on, writes one line to the logger
 * {@value #ACCESS_LOGGER}.
 *
 * <p>The line holds the method, the route template (or, for a request no route matched, its path with long
 * segments elided), the status, the body bytes sent, the duration in milliseconds, the request id and the client
 * address ({@link ClientOrigin}). Never the query string, nor any header: tokens, {@code Authorization} and cookies
 * stay out of the logs.
 */
public final class RequestObserver implements RequestLog {
    public static final String ACCESS_LOGGER = "dev.jot.access";
    private static final Logger ACCESS = LoggerFactory.getLogger(ACCESS_LOGGER);
    /** A longer path segment of an unmatched request is elided: it may be a token pasted into a URL. */
    static final int MAX_SEGMENT = 32;
    static final int MAX_PATH = 200;

    private final Metrics metrics;
    private final boolean accessLog;

    public RequestObserver(Metrics metrics, boolean accessLog) {
        this.metrics = metrics;
        this.accessLog = accessLog;
    }

    @Override
    public void log(Request request, Response response) {
        long nanos = System.nanoTime() - request.getBeginNanoTime();
        RequestInfo info = request.getAttribute(RequestInfo.ATTRIBUTE) instanceof RequestInfo i ? i : null;
        String route = info == null ? RequestInfo.UNMATCHED : info.route();
        String method = request.getMethod();
        int status = response.getStatus();
        metrics.request(method, route, status, nanos);
        if (!accessLog || !ACCESS.isInfoEnabled()) {
            return;
        }
        String shown = route.equals(RequestInfo.UNMATCHED) ? elided(request.getHttpURI().getPath()) : route;
        String client = request.getAttribute(ResponseHeaders.ORIGIN) instanceof ClientOrigin o ? o.address() : "-";
        long bytes = Response.getContentBytesWritten(response);
        long millis = nanos / 1_000_000;
        String id = info == null ? "-" : info.id();
        String previous = MDC.get(RequestInfo.MDC_KEY);
        MDC.put(RequestInfo.MDC_KEY, id);
        try {
            ACCESS.atInfo()
                    .addKeyValue("method", method)
                    .addKeyValue("route", shown)
                    .addKeyValue("status", status)
                    .addKeyValue("bytes", bytes)
                    .addKeyValue("duration_ms", millis)
                    .addKeyValue("client", client)
                    .log("{} {} {} {}B {}ms {}", method, shown, status, bytes, millis, client);
        } finally {
            if (previous == null) {
                MDC.remove(RequestInfo.MDC_KEY);
            } else {
                MDC.put(RequestInfo.MDC_KEY, previous);
            }
        }
    }

    /** The path of an unmatched request, with control characters and long segments replaced, and capped. */
    static String elided(String path) {
        if (path == null || path.isEmpty()) {
            return "-";
        }
        java.util.StringJoiner out = new java.util.StringJoiner("/");
        for (String segment : path.split("/", -1)) {
            out.add(segment.length() > MAX_SEGMENT ? "…" : segment.replaceAll("[\\p{Cntrl}\\s]", "?"));
        }
        String shown = out.toString();
        return shown.length() > MAX_PATH ? shown.substring(0, MAX_PATH) + "…" : shown;
    }
}
