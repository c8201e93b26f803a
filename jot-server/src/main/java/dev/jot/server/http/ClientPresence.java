package dev.jot.server.http;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Whether the client of a request is still waiting for the answer, asked without reading from its connection.
 *
 * <p>Jetty 12 does not watch an HTTP/1.1 connection while its request is being handled (measured: a client that
 * closed its socket leaves the endpoint {@code OPEN}, not input-shut, until the server writes). A closed socket is
 * readable (the FIN reads as end of stream), and so is one with more request bytes — which a client that waits
 * for its answer does not send: RFC 9112 §9.3.2 tells clients not to pipeline non-idempotent requests such as the
 * password POSTs this is asked for. So the socket is registered with a private selector for one {@code selectNow}:
 * readable means gone. Nothing is read; Jetty's own selector keeps the channel. HTTP/2 and unknown connection
 * kinds count as present (their streams are reset by Jetty itself).
 */
public final class ClientPresence {
    private static final ThreadLocal<BooleanSupplier> CURRENT = new ThreadLocal<>();
    private static final BooleanSupplier ALWAYS = () -> true;
    private static Selector probe;

    private ClientPresence() {
    }

    /** How to ask later whether the client of the request this thread is handling still waits. */
    public static BooleanSupplier current() {
        BooleanSupplier s = CURRENT.get();
        return s == null ? ALWAYS : s;
    }

    /** Every request's handlers can ask {@link #current()}: set before them, on their (virtual) thread. */
    public static void install(RoutesConfig routes) {
        routes.before(ctx -> CURRENT.set(of(ServletContextRequest.getServletContextRequest(ctx.req()), ctx.req())));
        routes.after(ctx -> CURRENT.remove());
    }

    /**
     * The probe for one request. Body bytes the handler did not read (a Basic login that also sent a body) make the
     * socket readable too, so the socket is only probed once the body has been read to its end (found by fuzzing:
     * such logins were dropped as abandoned); until then the client counts as present.
     */
    static BooleanSupplier of(Request request, jakarta.servlet.http.HttpServletRequest servletRequest) {
        BooleanSupplier socket = of(request);
        if (socket == ALWAYS) {
            return ALWAYS;
        }
        return () -> !bodyFinished(servletRequest) || socket.getAsBoolean();
    }

    private static boolean bodyFinished(jakarta.servlet.http.HttpServletRequest request) {
        if (request.getContentLengthLong() == 0) {
            return true;
        }
        try {
            return request.getInputStream().isFinished();
        } catch (java.io.IOException | IllegalStateException e) {
            return false; // read as characters, or unreadable: do not guess
        }
    }

    static BooleanSupplier of(Request request) {
        Connection connection = request.getConnectionMetaData().getConnection();
        if (!(connection instanceof HttpConnection)) {
            return ALWAYS;
        }
        EndPoint endPoint = connection.getEndPoint();
        while (endPoint instanceof EndPoint.Wrapper w) {
            endPoint = w.unwrap();
        }
        if (!(endPoint instanceof SocketChannelEndPoint socket)) {
            return ALWAYS;
        }
        EndPoint ep = endPoint;
        SocketChannel channel = socket.getChannel();
        return () -> ep.isOpen() && !ep.isInputShutdown() && !readable(channel);
    }

    private static synchronized boolean readable(SocketChannel channel) {
        try {
            if (probe == null) {
                probe = Selector.open();
            }
            SelectionKey key = channel.keyFor(probe);
            if (key == null || !key.isValid()) {
                probe.selectNow(); // flushes a cancelled key of this channel from an earlier probe
                key = channel.register(probe, SelectionKey.OP_READ);
            }
            probe.selectedKeys().clear();
            boolean ready = probe.selectNow() > 0 && key.isReadable();
            key.cancel();
            probe.selectNow();
            probe.selectedKeys().clear();
            return ready;
        } catch (IOException | RuntimeException e) {
            return !channel.isOpen(); // a channel that cannot be probed is taken as present while it is open
        }
    }
}
