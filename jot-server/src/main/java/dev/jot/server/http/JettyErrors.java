package dev.jot.server.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty gives itself, before a request reaches a route: a malformed request line or header, a URI
 * or header section over its limits. They are problem documents with a stable {@code code} like every other
 * answer, never Jetty's HTML page, and never echo Jetty's reason (it can quote the request).
 */
public final class JettyErrors extends ErrorHandler {

    /** Errors found while parsing, answered before there is a request object. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problems.MEDIA_TYPE);
        ResponseHeaders.addFixed(fields);
        return ByteBuffer.wrap(JsonCodec.write(Problems.body(ErrorMapping.forStatus(status))));
    }

    /** Errors of a parsed request that no handler answered. */
    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        byte[] body = JsonCodec.write(Problems.body(ErrorMapping.forStatus(status)));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.MEDIA_TYPE);
        ResponseHeaders.addFixed(response.getHeaders());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
