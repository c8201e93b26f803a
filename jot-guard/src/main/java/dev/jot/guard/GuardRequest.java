package dev.jot.guard;

import java.util.List;

/**
 * The few parts of an HTTP request the guard reads, so that it needs no web framework. A server adapts its own
 * request type in a few lines, for example with Javalin:
 *
 * <pre>{@code
 * GuardRequest r = new GuardRequest() {
 *     public List<String> headers(String name) { return Collections.list(ctx.req().getHeaders(name)); }
 *     public List<String> queryParameters(String name) { return ctx.queryParams(name); }
 *     public List<String> cookies(String name) { return ctx.cookieMap().containsKey(name) ? List.of(ctx.cookie(name)) : List.of(); }
 *     public byte[] body() { return ctx.bodyAsBytes(); }
 * };
 * }</pre>
 *
 * Only the parts that a configured {@link TokenSource} needs are called; {@link #body()} in particular is read
 * only when a {@link TokenSource.JsonBodyField} is configured.
 */
public interface GuardRequest {

    /** Every value of the header field {@code name} (matched case-insensitively, RFC 9110 §5.1); empty when absent. */
    List<String> headers(String name);

    /** Every value of the query parameter {@code name}, percent-decoded; empty when absent. */
    List<String> queryParameters(String name);

    /** Every value of the cookie {@code name}; empty when absent. */
    List<String> cookies(String name);

    /** The raw request body, or null when there is none or the server cannot offer it. */
    byte[] body();
}
