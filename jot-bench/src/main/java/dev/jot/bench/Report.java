package dev.jot.bench;

import dev.jot.jwt.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints JMH's JSON results ({@code -rf json}) as one table: ops/s, ratio to raw JCA for the same algorithm
 * and operation, and bytes allocated per op ({@code -prof gc}); then the targets of issue 2 §5 and issue 14 (the
 * guard's request path) as measured.
 * Plain Java with its own small JSON reader, so a machine with only a JDK can run it:
 * {@code java -cp benchmarks.jar dev.jot.bench.Report results.json}.
 */
public final class Report {
    private static final List<String> ALG_ORDER = List.of("HS256", "RS256", "PS256", "ES256", "EdDSA", "Guard");
    private static final List<String> OP_ORDER = List.of("sign", "verify", "authenticate");

    record Row(String alg, String op, String lib, double ops, double error, double bytesPerOp) {
    }

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Report <jmh results.json>");
            System.exit(2);
        }
        List<Row> rows = rows(readResults(Path.of(args[0])));
        if (rows.isEmpty()) {
            System.err.println("no dev.jot.bench results in " + args[0]);
            System.exit(1);
        }
        System.out.print(table(rows));
        System.out.print(targets(rows));
    }

    /**
     * JMH writes a top-level array; jot-jwt's strict reader takes objects only, so the array is read as the one
     * member of a wrapper object. Depth 32 is ample for JMH's nesting (result → metric → raw data arrays).
     */
    static Object readResults(Path file) throws IOException {
        String wrapped = "{\"runs\":" + Files.readString(file) + "}";
        return Json.parseObject(wrapped.getBytes(StandardCharsets.UTF_8), 32).get("runs");
    }

    static List<Row> rows(Object json) {
        List<Row> rows = new ArrayList<>();
        for (Object o : (List<?>) json) {
            Map<?, ?> b = (Map<?, ?>) o;
            String name = (String) b.get("benchmark"); // dev.jot.bench.HS256Bench.verify_jot
            String[] parts = name.split("\\.");
            String cls = parts[parts.length - 2];
            String method = parts[parts.length - 1];
            int us = method.indexOf('_');
            if (!cls.endsWith("Bench") || us < 0) {
                continue;
            }
            Map<?, ?> primary = (Map<?, ?>) b.get("primaryMetric");
            double bytes = Double.NaN;
            Object secondary = b.get("secondaryMetrics");
            if (secondary instanceof Map<?, ?> m) {
                for (var e : m.entrySet()) {
                    if (e.getKey().toString().endsWith("gc.alloc.rate.norm")) {
                        bytes = number(((Map<?, ?>) e.getValue()).get("score"));
                    }
                }
            }
            rows.add(new Row(cls.substring(0, cls.length() - "Bench".length()), method.substring(0, us),
                    method.substring(us + 1), number(primary.get("score")), number(primary.get("scoreError")), bytes));
        }
        return rows;
    }

    static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-6s %-12s %-8s %14s %10s %9s %10s%n",
                "alg", "op", "library", "ops/s", "+- (99.9%)", "x raw", "B/op"));
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        rows.stream()
                .sorted(Comparator.comparingInt((Row r) -> order(ALG_ORDER, r.alg())).thenComparing(Row::alg)
                        .thenComparingInt(r -> order(OP_ORDER, r.op())).thenComparing(Row::op)
                        .thenComparing(r -> !r.lib().equals("raw")).thenComparing(Row::ops, Comparator.reverseOrder()))
                .forEach(r -> groups.computeIfAbsent(r.alg() + " " + r.op(), k -> new ArrayList<>()).add(r));
        for (List<Row> group : groups.values()) {
            double raw = group.stream().filter(r -> r.lib().equals("raw")).mapToDouble(Row::ops).findFirst()
                    .orElse(Double.NaN);
            for (Row r : group) {
                out.append(String.format(Locale.ROOT, "%-6s %-12s %-8s %,14.0f %10s %9s %10s%n",
                        r.alg(), r.op(), r.lib().equals("raw") ? "raw JCA" : r.lib(), r.ops(),
                        Double.isNaN(r.error()) ? "" : String.format(Locale.ROOT, "%,.0f", r.error()),
                        Double.isNaN(raw) ? "-" : String.format(Locale.ROOT, "%.2f", r.ops() / raw),
                        Double.isNaN(r.bytesPerOp()) ? "-" : String.format(Locale.ROOT, "%,.0f", r.bytesPerOp())));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The targets, computed from this one run (compare only inside a run: the machine is noisy). */
    static String targets(List<Row> rows) {
        StringBuilder out = new StringBuilder("Targets (this run):\n");
        find(rows, "HS256", "verify", "jot").ifPresent(jot -> {
            peerRatio(out, rows, jot, 2.0);
            out.append(String.format(Locale.ROOT, "  %-40s %8.0f B    target <= 2048  %s%n",
                    "HS256 verify allocation", jot.bytesPerOp(), mark(jot.bytesPerOp() <= 2048)));
        });
        find(rows, "HS256", "sign", "jot").ifPresent(jot -> peerRatio(out, rows, jot, 1.5));
        for (String alg : List.of("RS256", "PS256", "ES256", "EdDSA")) {
            var jot = find(rows, alg, "verify", "jot");
            var raw = find(rows, alg, "verify", "raw");
            if (jot.isPresent() && raw.isPresent()) {
                double ratio = jot.get().ops() / raw.get().ops();
                out.append(String.format(Locale.ROOT, "  %-40s %8.2f x    target >= 0.9   %s%n",
                        alg + " verify: jot / raw JCA", ratio, mark(ratio >= 0.9)));
            }
        }
        find(rows, "Guard", "authenticate", "cached").ifPresent(hit -> {
            double nanos = 1e9 / hit.ops();
            out.append(String.format(Locale.ROOT, "  %-40s %8.0f ns   target <= 1000  %s%n",
                    "Guard cached authenticate", nanos, mark(nanos <= 1000)));
            out.append(String.format(Locale.ROOT, "  %-40s %8.0f B    target <= 200   %s%n",
                    "Guard cached authenticate allocation", hit.bytesPerOp(), mark(hit.bytesPerOp() <= 200)));
        });
        var miss = find(rows, "Guard", "authenticate", "miss");
        var floor = find(rows, "Guard", "authenticate", "raw");
        if (miss.isPresent() && floor.isPresent()) {
            double ratio = miss.get().ops() / floor.get().ops();
            out.append(String.format(Locale.ROOT, "  %-40s %8.2f x    target >= 0.9   %s%n",
                    "Guard cache miss: guard / raw RS256", ratio, mark(ratio >= 0.9)));
        }
        return out.toString();
    }

    private static void peerRatio(StringBuilder out, List<Row> rows, Row jot, double target) {
        rows.stream()
                .filter(r -> r.alg().equals(jot.alg()) && r.op().equals(jot.op()))
                .filter(r -> !r.lib().equals("jot") && !r.lib().equals("raw"))
                .max(Comparator.comparingDouble(Row::ops))
                .ifPresent(best -> {
                    double ratio = jot.ops() / best.ops();
                    out.append(String.format(Locale.ROOT, "  %-40s %8.2f x    target >= %.1f   %s%n",
                            jot.alg() + " " + jot.op() + ": jot / fastest peer (" + best.lib() + ")", ratio, target,
                            mark(ratio >= target)));
                });
    }

    private static java.util.Optional<Row> find(List<Row> rows, String alg, String op, String lib) {
        return rows.stream().filter(r -> r.alg().equals(alg) && r.op().equals(op) && r.lib().equals(lib)).findFirst();
    }

    private static String mark(boolean met) {
        return met ? "met" : "MISSED";
    }

    private static int order(List<String> known, String value) {
        int i = known.indexOf(value);
        return i < 0 ? known.size() : i;
    }

    private static double number(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return o == null ? Double.NaN : Double.parseDouble(o.toString()); // JMH writes "NaN" as a string
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
