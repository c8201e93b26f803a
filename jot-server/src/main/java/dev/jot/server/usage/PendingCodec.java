package dev.jot.server.usage;

import dev.jot.guard.usage.RejectedCount;
import dev.jot.guard.usage.UsageBatch;
import dev.jot.guard.usage.UsageCount;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * A pending batch as stored in {@code usage_pending}: a compact binary form of a validated {@link UsageBatch}, so
 * that applying it reads no JSON again. Version byte, a table of the distinct strings (subjects, clients, audiences,
 * routes, statuses, reasons: they repeat across entries), then the counts and refusals as indexes and numbers.
 *
 * <p>Version 2 deflates everything after the version byte: a busy guard's batch of 5,000 entries is 180 KB plain and
 * 24 KB deflated (PendingCodecTest's), and every byte of it is written twice (the insert, and the old row kept for
 * undo when it is deleted) and read once. Version 1 (plain) is still
 * read: batches stored before an upgrade may wait in the table.
 */
final class PendingCodec {
    private static final int PLAIN = 1;
    private static final int DEFLATED = 2;

    private PendingCodec() {
    }

    static byte[] write(UsageBatch batch) {
        Map<String, Integer> index = new HashMap<>();
        List<String> strings = new ArrayList<>();
        java.util.function.ToIntFunction<String> id = s -> s == null ? -1
                : index.computeIfAbsent(s, k -> {
                    strings.add(k);
                    return strings.size() - 1;
                });
        int[][] counts = new int[batch.counts().size()][];
        for (int i = 0; i < counts.length; i++) {
            UsageCount.Key k = batch.counts().get(i).key();
            counts[i] = new int[] {id.applyAsInt(k.subject()), id.applyAsInt(k.clientId()), id.applyAsInt(k.audience()),
                    id.applyAsInt(k.route()), id.applyAsInt(k.status())};
        }
        int[] reasons = batch.rejected().stream().mapToInt(r -> id.applyAsInt(r.reason())).toArray();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + counts.length * 8 + strings.size() * 8);
        bytes.write(DEFLATED);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                new DeflaterOutputStream(bytes, deflater, 8192), 8192))) {
            out.writeUTF(batch.id());
            out.writeInt(strings.size());
            for (String s : strings) {
                out.writeUTF(s);
            }
            out.writeInt(counts.length);
            for (int i = 0; i < counts.length; i++) {
                UsageCount c = batch.counts().get(i);
                out.writeLong(c.key().minute());
                for (int v : counts[i]) {
                    out.writeInt(v);
                }
                out.writeLong(c.count());
            }
            out.writeInt(reasons.length);
            for (int i = 0; i < reasons.length; i++) {
                RejectedCount r = batch.rejected().get(i);
                out.writeLong(r.minute());
                out.writeInt(reasons[i]);
                out.writeLong(r.count());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end(); // its native memory; the stream does not end a deflater it was given
        }
        return bytes.toByteArray();
    }

    /**
     * A stored batch decoded into arrays, one slot per count (and per refusal): what adding up many batches reads,
     * without an object per entry. String slots index {@code strings}; -1 is an absent client or audience.
     */
    record Entries(String batchId, String[] strings, long[] minutes, int[] subjects, int[] clients, int[] audiences,
                   int[] routes, int[] statuses, long[] counts, long[] rejectedMinutes, int[] reasons,
                   long[] rejectedCounts) {
        String string(int index) {
            return index < 0 ? null : strings[index];
        }
    }

    /** Decodes a stored batch whole (an unreadable one throws before anything of it is used). */
    static Entries decode(byte[] stored) {
        if (stored.length == 0 || stored[0] != PLAIN && stored[0] != DEFLATED) {
            throw new IllegalArgumentException("unknown pending batch version");
        }
        InputStream rest = new ByteArrayInputStream(stored, 1, stored.length - 1);
        try (DataInputStream in = new DataInputStream(stored[0] == DEFLATED
                ? new BufferedInputStream(new InflaterInputStream(rest), 8192) : rest)) {
            String id = in.readUTF();
            String[] strings = new String[in.readInt()];
            for (int i = 0; i < strings.length; i++) {
                strings[i] = in.readUTF();
            }
            int n = in.readInt();
            long[] minutes = new long[n];
            int[][] refs = new int[5][n];
            long[] counts = new long[n];
            for (int i = 0; i < n; i++) {
                minutes[i] = in.readLong();
                for (int[] ref : refs) {
                    ref[i] = index(strings, in.readInt());
                }
                counts[i] = in.readLong();
            }
            int r = in.readInt();
            long[] rejectedMinutes = new long[r];
            int[] reasons = new int[r];
            long[] rejectedCounts = new long[r];
            for (int i = 0; i < r; i++) {
                rejectedMinutes[i] = in.readLong();
                reasons[i] = index(strings, in.readInt());
                rejectedCounts[i] = in.readLong();
            }
            return new Entries(id, strings, minutes, refs[0], refs[1], refs[2], refs[3], refs[4], counts,
                    rejectedMinutes, reasons, rejectedCounts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A string slot as stored: -1 (absent) or an index into the table. */
    private static int index(String[] strings, int i) throws IOException {
        if (i < -1 || i >= strings.length) {
            throw new IOException("a string index out of the table");
        }
        return i;
    }
}
