package dev.jot.guard.usage;

import dev.jot.jwt.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One shipment of counts; see the package description for its wire form. {@code mergedBuckets} says how many
 * minute-buckets the sender had to fold into others because its buffer was full (totals are kept, minutes blur).
 */
public record UsageBatch(String id, String instance, long mergedBuckets, List<UsageCount> counts,
                         List<RejectedCount> rejected) {
    /** Entries (counts and rejected together) in one batch at most. */
    public static final int MAX_ENTRIES = 5_000;
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public UsageBatch {
        if (!ID.matcher(Objects.requireNonNull(id)).matches()) {
            throw new IllegalArgumentException("batch id must be 1–64 of [A-Za-z0-9._-]");
        }
        counts = List.copyOf(counts);
        rejected = List.copyOf(rejected);
        if (counts.size() + rejected.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("more than " + MAX_ENTRIES + " entries in one batch");
        }
    }

    /** The wire form (see the package description), UTF-8 JSON. */
    public byte[] toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("batch_id", id);
        if (instance != null) {
            body.put("instance", instance);
        }
        body.put("merged_buckets", mergedBuckets);
        List<Object> c = new ArrayList<>(counts.size());
        for (UsageCount u : counts) {
            Map<String, Object> m = new LinkedHashMap<>();
            UsageCount.Key k = u.key();
            m.put("minute", k.minute());
            m.put("sub", k.subject());
            m.put("client_id", k.clientId());
            m.put("audience", k.audience());
            m.put("route", k.route());
            m.put("status", k.status());
            m.put("count", u.count());
            c.add(m);
        }
        body.put("counts", c);
        List<Object> r = new ArrayList<>(rejected.size());
        for (RejectedCount x : rejected) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("minute", x.minute());
            m.put("reason", x.reason());
            m.put("count", x.count());
            r.add(m);
        }
        body.put("rejected", r);
        return Json.writeBytes(body);
    }
}
