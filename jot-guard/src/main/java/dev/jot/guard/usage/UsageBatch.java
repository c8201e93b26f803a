package dev.jot.guard.usage;

import java.util.List;
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
}
