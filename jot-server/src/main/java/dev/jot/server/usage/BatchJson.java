package dev.jot.server.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.jot.guard.usage.RejectedCount;
import dev.jot.guard.usage.UsageBatch;
import dev.jot.guard.usage.UsageCount;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.http.JsonCodec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The wire form of a usage batch (see {@code dev.jot.guard.usage}), read strictly: every member of a known type,
 * no unknown or duplicate members, bounded lengths and counts, at most {@link UsageBatch#MAX_ENTRIES} entries.
 * Anything else is {@link ServerError#USAGE_BATCH_INVALID} naming the first fault, and nothing of the batch is
 * stored.
 *
 * <p>Read as a stream of tokens as the body arrives, not as a tree of a whole array: a batch of 5,000 entries is about
 * 1 MB of JSON, and its array and its tree (an object and a map per entry) were most of what an ingest allocated;
 * every guard sends one every 10 s.
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
    /** The members of a batch, of a count and of a rejected count: each one's index is its slot in what is read. */
    private static final List<String> TOP = List.of("batch_id", "instance", "merged_buckets", "counts", "rejected");
    private static final List<String> COUNT = List.of("minute", "sub", "client_id", "audience", "route", "status",
            "count");
    private static final List<String> REJECTED = List.of("minute", "reason", "count");
    private static final int BATCH_ID = 0, INSTANCE = 1, MERGED = 2, COUNTS = 3, REJECTS = 4;
    private static final int MINUTE = 0, SUB = 1, CLIENT = 2, AUDIENCE = 3, ROUTE = 4, STATUS = 5, COUNT_N = 6;
    private static final int REASON_AT = 1, REJECTED_N = 2;

    private BatchJson() {
    }

    /**
     * One member's value as read: its token, and its text or whole number ({@code wholeLong}: an integer that fits a
     * long). An object or array where a value was expected keeps only its token.
     */
    private record Value(JsonToken token, String text, long number, boolean wholeLong) {
        static Value read(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            return switch (t) {
                case VALUE_STRING -> new Value(t, p.getText(), 0, false);
                case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? new Value(t, null, 0, false) : new Value(t, null, p.getLongValue(), true);
                case START_OBJECT, START_ARRAY -> {
                    p.skipChildren();
                    yield new Value(t, null, 0, false);
                }
                default -> new Value(t, null, 0, false);
            };
        }

        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }

        boolean isText() {
            return token == JsonToken.VALUE_STRING;
        }
    }

    static UsageBatch parse(InputStream body) {
        try (JsonParser p = JsonCodec.parser(body)) {
            // Duplicates are found here, per object, as each member takes its slot: cheaper than Jackson's detector (a
            // set per object). The route's stream is not closed by the parser: what is left of it is Jetty's.
            p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("the request body must be a JSON object");
            }
            Value[] top = new Value[TOP.size()];
            List<UsageCount> counts = new ArrayList<>();
            List<RejectedCount> rejected = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                int slot = slot(p, TOP, top, "the batch");
                JsonToken t = p.nextToken();
                boolean list = slot == COUNTS || slot == REJECTS;
                if (list && t == JsonToken.START_ARRAY) {
                    top[slot] = new Value(t, null, 0, false);
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (counts.size() + rejected.size() >= UsageBatch.MAX_ENTRIES) {
                            throw invalid("a batch holds at most " + UsageBatch.MAX_ENTRIES
                                    + " entries (counts and rejected)");
                        }
                        if (slot == COUNTS) {
                            counts.add(count(entry(p, COUNT, "counts", "a count")));
                        } else {
                            rejected.add(rejected(entry(p, REJECTED, "rejected", "a rejected count")));
                        }
                    }
                } else if (list && t != JsonToken.VALUE_NULL) {
                    throw invalid("'" + TOP.get(slot) + "' must be an array");
                } else {
                    top[slot] = Value.read(p);
                }
            }
            if (p.nextToken() != null) {
                throw invalid("the request body is not valid JSON");
            }
            Value id = top[BATCH_ID];
            if (id == null || !id.isText() || !UsageBatch.ID.matcher(id.text()).matches()) {
                throw invalid("'batch_id' must be 1-64 of [A-Za-z0-9._-]");
            }
            Value in = top[INSTANCE];
            String instance = in == null || in.isNull() ? null : text(in, "instance", MAX_INSTANCE);
            Value m = top[MERGED];
            long merged = m == null || m.isNull() ? 0 : integer(m, "merged_buckets", 0, Long.MAX_VALUE / 2);
            return new UsageBatch(id.text(), instance, merged, counts, rejected);
        } catch (JsonProcessingException e) {
            throw invalid("the request body is not valid JSON");
        } catch (IOException e) {
            throw invalid("the request body could not be read");
        }
    }

    /** The slot of the member name the parser is at: unknown and repeated names are refused. */
    private static int slot(JsonParser p, List<String> names, Value[] read, String what) throws IOException {
        String name = p.currentName();
        int slot = names.indexOf(name);
        if (slot < 0) {
            throw invalid(what + " has an unknown member '" + printable(name) + "'");
        }
        if (read[slot] != null) {
            throw invalid(what + " has the member '" + name + "' twice");
        }
        return slot;
    }

    /** The members of one entry of {@code list} (the parser at its first token), by slot. */
    private static Value[] entry(JsonParser p, List<String> names, String list, String what) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw invalid("each of '" + list + "' must be an object");
        }
        Value[] members = new Value[names.size()];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            int slot = slot(p, names, members, what);
            p.nextToken();
            members[slot] = Value.read(p);
        }
        return members;
    }

    private static UsageCount count(Value[] c) {
        long minute = minute(c[MINUTE]);
        String sub = text(required(c[SUB], "sub"), "sub", MAX_TEXT);
        String client = optionalText(c[CLIENT], "client_id");
        String audience = optionalText(c[AUDIENCE], "audience");
        String route = text(required(c[ROUTE], "route"), "route", MAX_TEXT);
        Value st = required(c[STATUS], "status");
        if (!st.isText() || !STATUSES.contains(st.text())) {
            throw invalid("'status' must be one of 2xx, 3xx, 4xx, 5xx");
        }
        long n = integer(required(c[COUNT_N], "count"), "count", 0, MAX_COUNT);
        return new UsageCount(new UsageCount.Key(minute, sub, client, audience, route, st.text()), n);
    }

    private static RejectedCount rejected(Value[] r) {
        long minute = minute(r[MINUTE]);
        Value reason = required(r[REASON_AT], "reason");
        if (!reason.isText() || !REASON.matcher(reason.text()).matches()) {
            throw invalid("'reason' must be 1-64 of [A-Za-z0-9_.-]");
        }
        return new RejectedCount(minute, reason.text(), integer(required(r[REJECTED_N], "count"), "count", 0,
                MAX_COUNT));
    }

    private static Value required(Value n, String name) {
        if (n == null || n.isNull()) {
            throw invalid("missing '" + name + "'");
        }
        return n;
    }

    private static long minute(Value n) {
        if (n == null || n.isNull()) {
            throw invalid("missing 'minute'");
        }
        long minute = integer(n, "minute", 0, 253_402_300_740L); // up to 9999-12-31
        if (minute % 60 != 0) {
            throw invalid("'minute' must be the epoch second a minute starts at (a multiple of 60)");
        }
        return minute;
    }

    private static long integer(Value n, String name, long min, long max) {
        if (!n.wholeLong() || n.number() < min || n.number() > max) {
            throw invalid("'" + name + "' must be a whole number from " + min + " to " + max);
        }
        return n.number();
    }

    private static String optionalText(Value n, String name) {
        return n == null || n.isNull() ? null : text(n, name, MAX_TEXT);
    }

    /** A string of 1 to {@code max} characters without control characters. */
    private static String text(Value n, String name, int max) {
        if (!n.isText() || n.text().isEmpty() || n.text().length() > max) {
            throw invalid("'" + name + "' must be a string of 1-" + max + " characters");
        }
        String s = n.text();
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
