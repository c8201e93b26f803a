package dev.jot.server.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jot.guard.usage.RejectedCount;
import dev.jot.guard.usage.UsageBatch;
import dev.jot.guard.usage.UsageCount;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stored form of a pending batch: what goes in comes out, small, and batches stored by older versions still read. */
class PendingCodecTest {
    static final long MINUTE = 1_764_518_400L;

    /** A batch like a busy guard's (bench/UsageIngest.java): 499 subjects × 5 routes × 2 status classes. */
    static UsageBatch busy() {
        List<UsageCount> counts = new ArrayList<>();
        String[] routes = {"/orders", "/orders/{id}", "/orders/{id}/items", "/me", "/products"};
        for (int s = 0; s < 499; s++) {
            for (String route : routes) {
                counts.add(new UsageCount(new UsageCount.Key(MINUTE, "user-" + s, "jot", "https://orders.example.com",
                        route, "2xx"), 900 + (s * 7919L + route.length()) % 180));
                counts.add(new UsageCount(new UsageCount.Key(MINUTE, "user-" + s, "jot", "https://orders.example.com",
                        route, "4xx"), 40 + s % 11));
            }
        }
        return new UsageBatch("orders-1-0042", "orders-1", 0, counts,
                List.of(new RejectedCount(MINUTE, "token_expired", 3)));
    }

    /** What the add-up reads of a stored batch, as the batch's records (instance and merged buckets are not stored). */
    static UsageBatch read(byte[] stored) {
        PendingCodec.Entries e = PendingCodec.decode(stored);
        List<UsageCount> counts = new ArrayList<>();
        for (int i = 0; i < e.counts().length; i++) {
            counts.add(new UsageCount(new UsageCount.Key(e.minutes()[i], e.string(e.subjects()[i]),
                    e.string(e.clients()[i]), e.string(e.audiences()[i]), e.string(e.routes()[i]),
                    e.string(e.statuses()[i])), e.counts()[i]));
        }
        List<RejectedCount> rejected = new ArrayList<>();
        for (int i = 0; i < e.reasons().length; i++) {
            rejected.add(new RejectedCount(e.rejectedMinutes()[i], e.string(e.reasons()[i]), e.rejectedCounts()[i]));
        }
        return new UsageBatch(e.batchId(), null, 0, counts, rejected);
    }

    @Test
    void aBatchReadsBackAsItWasWrittenButForItsInstance() {
        UsageBatch b = new UsageBatch("b-1", "orders-1", 2, List.of(
                new UsageCount(new UsageCount.Key(MINUTE, "u1", null, null, "/a", "2xx"), 7),
                new UsageCount(new UsageCount.Key(MINUTE + 60, "u1", "c", "api", "/a", "5xx"), 1)),
                List.of(new RejectedCount(MINUTE, "token_invalid", 4)));
        UsageBatch read = read(PendingCodec.write(b));
        assertThat(read.id()).isEqualTo("b-1");
        assertThat(read.counts()).isEqualTo(b.counts());
        assertThat(read.rejected()).isEqualTo(b.rejected());
    }

    @Test
    void aBusyGuardsBatchIsStoredInAFewKilobytes() {
        UsageBatch b = busy();
        byte[] stored = PendingCodec.write(b);
        assertThat(stored.length).as("deflated; plain it is 36 bytes an entry").isLessThan(b.counts().size() * 8);
        assertThat(read(stored).counts()).isEqualTo(b.counts());
    }

    @Test
    void aBatchStoredPlainByTheFirstVersionStillReads() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeUTF("old-1");
            out.writeInt(3);
            out.writeUTF("u1");
            out.writeUTF("/a");
            out.writeUTF("2xx");
            out.writeInt(1);
            out.writeLong(MINUTE);
            for (int index : new int[] {0, -1, -1, 1, 2}) {
                out.writeInt(index);
            }
            out.writeLong(5);
            out.writeInt(0);
        }
        UsageBatch read = read(bytes.toByteArray());
        assertThat(read.id()).isEqualTo("old-1");
        assertThat(read.counts()).containsExactly(
                new UsageCount(new UsageCount.Key(MINUTE, "u1", null, null, "/a", "2xx"), 5));
    }

    @Test
    void anUnknownVersionIsRefused() {
        assertThatThrownBy(() -> read(new byte[] {9, 0})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> read(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
