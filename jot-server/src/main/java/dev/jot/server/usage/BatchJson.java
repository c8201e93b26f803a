package dev.jot.server.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jot.guard.usage.RejectedCount;
import dev.jot.guard.usage.UsageBatch;
import dev.jot.guard.usage.UsageCount;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.http.JsonCodec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The wire form of a usage batch (see {@code dev.jot.guard.usage}), read strictly: every member of a known type,
 * no unknown members, bounded lengths and counts, at most {@link UsageBatch#MAX_ENTRIES} entries. Anything else is
 * {@link ServerError#USAGE_BATCH_INVALID} naming the first fault, and nothing of the batch is stored.
 */
final class BatchJson {
    /** Largest body {@code POST /usage/batches} reads: {@link UsageBatch#MAX_ENTRIES} entries of ≈ 800 bytes. */
    static final int MAX_BYTES = 4 * 1024 * 1024;
    /** Longest subject, client id, audience or route. */
    static final int MAX_TEXT = 255;
    static final int MAX_INSTANCE = 128;
    /** Most requests one entry may count: 16,000 a second for a minute on one key, with room to spare. */
    static final long MAX_COUNT = 1_000_000_000L;
    static final Set<String> STATUSES = Set.of("2xx", "3xx", "4xx", "5xx");
    static final Pattern REASON = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Set<String> TOP = Set.of("batch_id", "instance", "merged_buckets", "counts", "rejected");
    private static final Set<String> COUNT = Set.of("minute", "sub", "client_id", "audience", "route", "status",
            "count");
    private static final Set<String> REJECTED = Set.of("minute", "reason", "count");

    private BatchJson() {
    }

    static UsageBatch parse(byte[] body) {
        ObjectNode o;
        try {
            o = JsonCodec.parseObject(body);
        } catch (ServerException e) {
            throw invalid(e.detail());
        }
        only(o, TOP, "the batch");
        JsonNode id = o.get("batch_id");
        if (id == null || !id.isTextual() || !UsageBatch.ID.matcher(id.textValue()).matches()) {
            throw invalid("'batch_id' must be 1-64 of [A-Za-z0-9._-]");
        }
        String instance = null;
        JsonNode in = o.get("instance");
        if (in != null && !in.isNull()) {
            instance = text(in, "instance", MAX_INSTANCE);
        }
        long merged = 0;
        JsonNode m = o.get("merged_buckets");
        if (m != null && !m.isNull()) {
            merged = integer(m, "merged_buckets", 0, Long.MAX_VALUE / 2);
        }
        JsonNode counts = array(o, "counts");
        JsonNode rejected = array(o, "rejected");
        if (counts.size() + rejected.size() > UsageBatch.MAX_ENTRIES) {
            throw invalid("a batch holds at most " + UsageBatch.MAX_ENTRIES + " entries (counts and rejected)");
        }
        List<UsageCount> cs = new ArrayList<>(counts.size());
        for (JsonNode c : counts) {
            if (!(c instanceof ObjectNode co)) {
                throw invalid("each of 'counts' must be an object");
            }
            only(co, COUNT, "a count");
            long minute = minute(co.get("minute"));
            String sub = text(required(co, "sub"), "sub", MAX_TEXT);
            String client = optionalText(co.get("client_id"), "client_id");
            String audience = optionalText(co.get("audience"), "audience");
            String route = text(required(co, "route"), "route", MAX_TEXT);
            JsonNode st = required(co, "status");
            if (!st.isTextual() || !STATUSES.contains(st.textValue())) {
                throw invalid("'status' must be one of 2xx, 3xx, 4xx, 5xx");
            }
            long n = integer(required(co, "count"), "count", 0, MAX_COUNT);
            cs.add(new UsageCount(new UsageCount.Key(minute, sub, client, audience, route, st.textValue()), n));
        }
        List<RejectedCount> rs = new ArrayList<>(rejected.size());
        for (JsonNode r : rejected) {
            if (!(r instanceof ObjectNode ro)) {
                throw invalid("each of 'rejected' must be an object");
            }
            only(ro, REJECTED, "a rejected count");
            long minute = minute(ro.get("minute"));
            JsonNode reason = required(ro, "reason");
            if (!reason.isTextual() || !REASON.matcher(reason.textValue()).matches()) {
                throw invalid("'reason' must be 1-64 of [A-Za-z0-9_.-]");
            }
            rs.add(new RejectedCount(minute, reason.textValue(), integer(required(ro, "count"), "count", 0, MAX_COUNT)));
        }
        return new UsageBatch(id.textValue(), instance, merged, cs, rs);
    }

    private static void only(ObjectNode o, Set<String> allowed, String what) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw invalid(what + " has an unknown member '" + printable(name) + "'");
            }
        }
    }

    private static JsonNode required(ObjectNode o, String name) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            throw invalid("missing '" + name + "'");
        }
        return n;
    }

    private static JsonNode array(ObjectNode o, String name) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        }
        if (!n.isArray()) {
            throw invalid("'" + name + "' must be an array");
        }
        return n;
    }

    private static long minute(JsonNode n) {
        if (n == null || n.isNull()) {
            throw invalid("missing 'minute'");
        }
        long minute = integer(n, "minute", 0, 253_402_300_740L); // up to 9999-12-31
        if (minute % 60 != 0) {
            throw invalid("'minute' must be the epoch second a minute starts at (a multiple of 60)");
        }
        return minute;
    }

    private static long integer(JsonNode n, String name, long min, long max) {
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < min || n.longValue() > max) {
            throw invalid("'" + name + "' must be a whole number from " + min + " to " + max);
        }
        return n.longValue();
    }

    private static String optionalText(JsonNode n, String name) {
        return n == null || n.isNull() ? null : text(n, name, MAX_TEXT);
    }

    /** A string of 1 to {@code max} characters without control characters. */
    private static String text(JsonNode n, String name, int max) {
        if (!n.isTextual() || n.textValue().isEmpty() || n.textValue().length() > max) {
            throw invalid("'" + name + "' must be a string of 1-" + max + " characters");
        }
        String s = n.textValue();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(++i)))) {
                throw invalid("'" + name + "' holds a control character or a broken surrogate");
            }
        }
        return s;
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    static ServerException invalid(String detail) {
        return new ServerException(ServerError.USAGE_BATCH_INVALID, detail);
    }
}
