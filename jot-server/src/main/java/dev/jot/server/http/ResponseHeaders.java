package dev.jot.server.http;

import dev.jot.server.config.Cidr;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * Runs in Jetty for every request before any handler (so its headers are on every answer, Jetty's own error
 * answers included): decides the request's {@link ClientOrigin} once, and adds the headers every answer carries.
 *
 * <ul>
 *   <li>{@code X-Content-Type-Options: nosniff}: a JSON answer is never sniffed into HTML or script (OWASP Secure
 *       Headers);</li>
 *   <li>{@code Referrer-Policy: no-referrer}: nothing here links anywhere, and URLs may carry codes;</li>
 *   <li>{@code Strict-Transport-Security} on HTTPS answers when enabled (RFC 6797 §7.2: never over plain HTTP);</li>
 *   <li>{@code X-Request-Id}: the request's id ({@link RequestInfo}).</li>
 * </ul>
 */
public final class ResponseHeaders implements HttpConfiguration.Customizer {
    static final String ORIGIN = "dev.jot.origin";
    /** One year: what the HSTS preload list asks for. */
    static final String HSTS_VALUE = "max-age=31536000";

    private final List<Cidr> trustedProxies;
    private final boolean hsts;

    public ResponseHeaders(List<Cidr> trustedProxies, boolean hsts) {
        this.trustedProxies = List.copyOf(trustedProxies);
        this.hsts = hsts;
    }

    /** The headers an answer gets even when Jetty answers before there is a request (a malformed request line). */
    static void addFixed(HttpFields.Mutable fields) {
        fields.put("X-Content-Type-Options", "nosniff");
        fields.put("Referrer-Policy", "no-referrer");
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        HttpFields h = request.getHeaders();
        ClientOrigin origin = ClientOrigin.resolve(trustedProxies, Request.getRemoteAddr(request), request.isSecure(),
                h.getValuesList("Forwarded"), h.getValuesList("X-Forwarded-For"), h.getValuesList("X-Forwarded-Proto"));
        request.setAttribute(ORIGIN, origin);
        RequestInfo info = RequestInfo.forIncoming(h.get(RequestInfo.HEADER));
        request.setAttribute(RequestInfo.ATTRIBUTE, info);
        responseHeaders.put(RequestInfo.HEADER, info.id());
        addFixed(responseHeaders);
        if (hsts && origin.secure()) {
            responseHeaders.put("Strict-Transport-Security", HSTS_VALUE);
        }
        return request;
    }
}
