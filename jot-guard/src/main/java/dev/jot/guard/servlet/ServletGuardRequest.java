package dev.jot.guard.servlet;

import dev.jot.guard.GuardRequest;
import dev.jot.guard.TokenSource;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A servlet request as the guard reads it. Query parameters come from the query string only: asking the container
 * ({@code getParameter}) would parse, and so consume, a form body the application has not read yet. The body is
 * read only when a JSON-body source asks, at most {@code cap + 1} bytes (one more than allowed, so an oversized
 * body is known without reading it all), and kept, so that {@link #forApplication()} hands the application a
 * request whose body reads from the start again.
 */
final class ServletGuardRequest implements GuardRequest {

    private final HttpServletRequest req;
    private final int cap;
    private byte[] body;
    private boolean bodyRead;

    ServletGuardRequest(HttpServletRequest req, int cap) {
        this.req = req;
        this.cap = cap;
    }

    /** The largest body any configured source reads; 0 when none reads bodies. */
    static int bodyCap(List<TokenSource> sources) {
        int cap = 0;
        for (TokenSource s : sources) {
            if (s instanceof TokenSource.JsonBodyField f) {
                cap = Math.max(cap, f.maxBodyBytes());
            }
        }
        return cap;
    }

    @Override
    public List<String> headers(String name) {
        return Collections.list(req.getHeaders(name));
    }

    @Override
    public List<String> queryParameters(String name) {
        String query = req.getQueryString();
        if (query == null) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key != null && key.equals(name)) {
                String value = decode(eq < 0 ? "" : pair.substring(eq + 1));
                values.add(value == null ? "\0" : value); // undecodable: present, and never a valid token
            }
        }
        return values;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badPercentEncoding) {
            return null;
        }
    }

    @Override
    public List<String> cookies(String name) {
        Cookie[] cookies = req.getCookies();
        if (cookies == null) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (Cookie c : cookies) {
            if (c.getName().equals(name)) {
                values.add(c.getValue());
            }
        }
        return values;
    }

    @Override
    public byte[] body() {
        if (!bodyRead) {
            bodyRead = true;
            try {
                // Not closed: a refusal reads and drops what is left of it (discardUnreadBody).
                body = req.getInputStream().readNBytes(cap + 1);
            } catch (IOException clientWentAway) {
                body = null; // no body, so no token in it; the application will find the stream broken too
            }
        }
        return body;
    }

    /**
     * Reads and drops what is left of the body, up to {@link #SWALLOW_LIMIT}, before a refusal is written: a client
     * still sending its body then reads the answer instead of a reset (as Tomcat's {@code maxSwallowSize} does). A
     * larger rest is left to the container, which closes the connection.
     */
    void discardUnreadBody() {
        try {
            InputStream in = req.getInputStream();
            long left = SWALLOW_LIMIT;
            byte[] sink = new byte[8192];
            for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
                left -= n;
            }
        } catch (IOException | IllegalStateException e) {
            // The client went away, or the application's container already handed out a reader: nothing to drop.
        }
    }

    /** How much of an unread body a refusal reads and drops first (Tomcat's default {@code maxSwallowSize}). */
    static final long SWALLOW_LIMIT = 2L * 1024 * 1024;

    /** The request to pass on: the original, or one replaying the body the guard read. */
    HttpServletRequest forApplication() {
        return body == null ? req : new Replay(req, body);
    }

    /** Serves a body already read, to a reader that starts at its beginning. */
    private static final class Replay extends HttpServletRequestWrapper {
        private final byte[] body;

        Replay(HttpServletRequest req, byte[] body) {
            super(req);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    try {
                        listener.onDataAvailable();
                        listener.onAllDataRead();
                    } catch (IOException e) {
                        listener.onError(e);
                    }
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            // Only JSON bodies are ever replayed, and JSON is UTF-8 unless the request says otherwise (RFC 8259 §8.1).
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }
}
