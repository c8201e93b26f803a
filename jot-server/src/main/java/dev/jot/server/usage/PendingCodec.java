package dev.jot.server.usage;

import dev.jot.guard.usage.RejectedCount;
import dev.jot.guard.usage.UsageBatch;
import dev.jot.guard.usage.UsageCount;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pending batch as stored in {@code usage_pending}: a compact binary form of a validated {@link UsageBatch}, so
 * that applying it reads no JSON again. Version byte, a table of the distinct strings (subjects, clients, audiences,
 * routes, statuses, reasons: they repeat across entries), then the counts and refusals as indexes and numbers.
 */
final class PendingCodec {
    private static final int VERSION = 1;

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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + counts.length * 36 + strings.size() * 24);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
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
        }
        return bytes.toByteArray();
    }

    static UsageBatch read(byte[] stored) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
            if (in.readByte() != VERSION) {
                throw new IllegalArgumentException("unknown pending batch version");
            }
            String id = in.readUTF();
            String[] strings = new String[in.readInt()];
            for (int i = 0; i < strings.length; i++) {
                strings[i] = in.readUTF();
            }
            int n = in.readInt();
            List<UsageCount> counts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long minute = in.readLong();
                String sub = at(strings, in.readInt());
                String client = at(strings, in.readInt());
                String audience = at(strings, in.readInt());
                String route = at(strings, in.readInt());
                String status = at(strings, in.readInt());
                counts.add(new UsageCount(new UsageCount.Key(minute, sub, client, audience, route, status),
                        in.readLong()));
            }
            int r = in.readInt();
            List<RejectedCount> rejected = new ArrayList<>(r);
            for (int i = 0; i < r; i++) {
                rejected.add(new RejectedCount(in.readLong(), at(strings, in.readInt()), in.readLong()));
            }
            return new UsageBatch(id, null, 0, counts, rejected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String at(String[] strings, int i) {
        return i < 0 ? null : strings[i];
    }
}
