package dev.jot.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jot.server.error.ServerException;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Typed reading of JSON members and query parameters for the JSON APIs ({@code /api-keys}, {@code /admin/...}):
 * strict, so that a typo is an error rather than a silently ignored field. Every refusal is a 400
 * {@code invalid_request} naming the field, never echoing the value.
 */
public final class Fields {
    /** Longest list accepted in a body: far above any real use (a credential has at most 32 scopes). */
    public static final int MAX_ITEMS = 64;
    /** Longest text accepted in a query parameter. */
    public static final int MAX_PARAMETER = 512;

    private Fields() {
    }

    /** Refuses members other than {@code allowed}: an unknown field is a mistake the client should hear of. */
    public static void only(ObjectNode body, Set<String> allowed) {
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            if (!allowed.contains(names.next())) {
                throw ServerException.badRequest(allowed.isEmpty() ? "this request takes no fields"
                        : "unknown field; this body takes " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    /** A route that takes no input: no body, or an empty JSON object (what some clients always send). */
    public static void none(Context ctx) {
        if (Requests.body(ctx).length > 0) {
            only(Requests.jsonObject(ctx), Set.of());
        }
    }

    /** A string member, empty when absent or null. */
    public static Optional<String> string(ObjectNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw ServerException.badRequest("field '" + name + "' must be a string");
        }
        return Optional.of(n.textValue());
    }

    /** An array of strings, empty when absent or null; at most {@link #MAX_ITEMS}. */
    public static Optional<List<String>> strings(ObjectNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isArray()) {
            throw ServerException.badRequest("field '" + name + "' must be an array of strings");
        }
        if (n.size() > MAX_ITEMS) {
            throw ServerException.badRequest("field '" + name + "' has more than " + MAX_ITEMS + " items");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : n) {
            if (!item.isTextual()) {
                throw ServerException.badRequest("field '" + name + "' must be an array of strings");
            }
            items.add(item.textValue());
        }
        return Optional.of(List.copyOf(items));
    }

    /** A whole number, empty when absent or null ({@code 1.5}, {@code "60"} or {@code 1e40} are refused). */
    public static Optional<Long> integer(ObjectNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw ServerException.badRequest("field '" + name + "' must be a whole number");
        }
        return Optional.of(n.longValue());
    }

    /** {@code true} or {@code false}, empty when absent or null. */
    public static Optional<Boolean> bool(ObjectNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isBoolean()) {
            throw ServerException.badRequest("field '" + name + "' must be true or false");
        }
        return Optional.of(n.booleanValue());
    }

    /** A query parameter given at most once, empty when absent or empty; at most {@link #MAX_PARAMETER} chars. */
    public static Optional<String> query(Context ctx, String name) {
        List<String> values = ctx.queryParams(name);
        if (values.size() > 1) {
            throw ServerException.badRequest("query parameter '" + name + "' is repeated");
        }
        if (values.isEmpty() || values.getFirst().isEmpty()) {
            return Optional.empty();
        }
        if (values.getFirst().length() > MAX_PARAMETER) {
            throw ServerException.badRequest("query parameter '" + name + "' is too long");
        }
        return Optional.of(values.getFirst());
    }

    /** A page size: {@code fallback} when absent, else a whole number from 1 to {@code max}. */
    public static int limit(Context ctx, int fallback, int max) {
        Optional<String> text = query(ctx, "limit");
        if (text.isEmpty()) {
            return fallback;
        }
        int limit = text.get().matches("[0-9]{1,6}") ? Integer.parseInt(text.get()) : -1;
        if (limit < 1 || limit > max) {
            throw ServerException.badRequest("'limit' must be a whole number from 1 to " + max);
        }
        return limit;
    }
}
