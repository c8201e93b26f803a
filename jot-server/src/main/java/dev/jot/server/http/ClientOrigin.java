package dev.jot.server.http;

import dev.jot.server.config.Cidr;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a request comes from: the client's address (for the audit log and the throttle) and the scheme it used.
 * The one place that decides it. Forwarding headers ({@code Forwarded}, RFC 7239; else {@code X-Forwarded-For} and
 * {@code X-Forwarded-Proto}) are believed only when the TCP peer is a configured trusted proxy: anyone else can
 * write them, and a throttle keyed on a header an attacker chooses throttles nobody.
 *
 * <p>The forwarded chain is read from the right (the hop the nearest proxy added) leftwards, skipping trusted
 * proxies; the first untrusted address is the client (so a client cannot prepend a fake address: it is to the
 * left of the one our proxy recorded). A hop that is not an IP literal ({@code unknown}, an obfuscated name) ends
 * the walk at the last trusted proxy.
 *
 * @param address the client's IP address, in {@link InetAddress#getHostAddress()} form
 * @param secure  whether the client's connection was HTTPS (directly, or as a trusted proxy says)
 */
public record ClientOrigin(String address, boolean secure) {

    /** The origin of a request, decided once by {@link ResponseHeaders} in Jetty; the TCP peer if it did not run. */
    public static ClientOrigin of(Context ctx) {
        if (ctx.req().getAttribute(ResponseHeaders.ORIGIN) instanceof ClientOrigin o) {
            return o;
        }
        return resolve(List.of(), ctx.req().getRemoteAddr(), ctx.req().isSecure(), List.of(), List.of(), List.of());
    }

    /** The client's address: what every handler records and throttles by (never {@code ctx.ip()}: it ignores proxies). */
    public static String addressOf(Context ctx) {
        return of(ctx).address();
    }

    /**
     * The TCP peer's address (canonical form), whatever any forwarding header says: for decisions that must not
     * be moved by a header, such as serving {@code /metrics} to loopback only.
     */
    public static String peerOf(Context ctx) {
        String peer = ctx.req().getRemoteAddr();
        return canonical(peer).orElse(peer);
    }

    /** Whether {@code address} is an IP literal of a loopback address (127.0.0.0/8, ::1, or IPv4-mapped 127.x). */
    public static boolean isLoopback(String address) {
        return canonical(address).flatMap(Cidr::literal).map(bytes -> {
            try {
                return InetAddress.getByAddress(bytes).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }).orElse(false);
    }

    /** The origin of a request from {@code peer} over {@code tls}, with the request's forwarding headers. */
    public static ClientOrigin resolve(List<Cidr> trusted, String peer, boolean tls, List<String> forwarded,
                                       List<String> xForwardedFor, List<String> xForwardedProto) {
        String peerAddress = canonical(peer).orElse(peer);
        if (!isTrusted(trusted, peerAddress)) {
            return new ClientOrigin(peerAddress, tls);
        }
        List<Hop> hops = forwarded.isEmpty() ? xffHops(xForwardedFor, xForwardedProto) : forwardedHops(forwarded);
        String client = peerAddress;
        Optional<String> proto = Optional.empty();
        for (int i = hops.size() - 1; i >= 0; i--) {
            Hop hop = hops.get(i);
            if (i == hops.size() - 1) {
                proto = hop.proto(); // the scheme the nearest proxy saw
            }
            Optional<String> address = hop.address().flatMap(ClientOrigin::canonical);
            if (address.isEmpty()) {
                break;
            }
            client = address.get();
            if (!isTrusted(trusted, client)) {
                break;
            }
        }
        boolean secure = proto.map(p -> p.equalsIgnoreCase("https")).orElse(tls);
        return new ClientOrigin(client, secure);
    }

    private record Hop(Optional<String> address, Optional<String> proto) {
    }

    private static boolean isTrusted(List<Cidr> trusted, String address) {
        Optional<byte[]> bytes = Cidr.literal(address);
        return bytes.isPresent() && trusted.stream().anyMatch(c -> c.contains(bytes.get()));
    }

    /** {@code X-Forwarded-For: client, proxy1, proxy2} (several headers join in order); the proto applies to the last. */
    private static List<Hop> xffHops(List<String> xff, List<String> proto) {
        List<Hop> hops = new ArrayList<>();
        for (String header : xff) {
            for (String item : header.split(",")) {
                hops.add(new Hop(Optional.of(item.strip()), Optional.empty()));
            }
        }
        Optional<String> lastProto = proto.isEmpty() ? Optional.empty()
                : Optional.of(lastItem(proto.getLast()));
        if (hops.isEmpty()) {
            return lastProto.isPresent() ? List.of(new Hop(Optional.empty(), lastProto)) : hops;
        }
        Hop last = hops.removeLast();
        hops.add(new Hop(last.address(), lastProto));
        return hops;
    }

    private static String lastItem(String list) {
        String[] items = list.split(",");
        return items[items.length - 1].strip();
    }

    /** RFC 7239 §4: elements separated by {@code ,}, pairs by {@code ;}, values tokens or quoted strings. */
    private static List<Hop> forwardedHops(List<String> headers) {
        List<Hop> hops = new ArrayList<>();
        for (String header : headers) {
            for (String element : splitOutsideQuotes(header, ',')) {
                Optional<String> forValue = Optional.empty();
                Optional<String> proto = Optional.empty();
                for (String pair : splitOutsideQuotes(element, ';')) {
                    int eq = pair.indexOf('=');
                    if (eq < 0) {
                        continue;
                    }
                    String name = pair.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                    String value = unquote(pair.substring(eq + 1).strip());
                    if (name.equals("for")) {
                        forValue = Optional.of(value);
                    } else if (name.equals("proto")) {
                        proto = Optional.of(value);
                    }
                }
                hops.add(new Hop(forValue, proto));
            }
        }
        return hops;
    }

    private static List<String> splitOutsideQuotes(String s, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    /**
     * The address in a forwarded hop, without a port ({@code 192.0.2.1:4711}, {@code [2001:db8::1]:4711}), in
     * canonical form; empty when it is not an IP literal.
     */
    static Optional<String> canonical(String hop) {
        String h = hop.strip();
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            h = close < 0 ? h : h.substring(1, close);
        } else if (h.indexOf(':') == h.lastIndexOf(':') && h.indexOf(':') > 0) {
            h = h.substring(0, h.indexOf(':')); // IPv4 with a port
        }
        return Cidr.literal(h).map(bytes -> {
            try {
                return InetAddress.getByAddress(bytes).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
