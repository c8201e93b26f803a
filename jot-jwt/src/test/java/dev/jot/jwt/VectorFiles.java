package dev.jot.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the third-party vector files copied into {@code src/test/resources/vectors} (see the README there for
 * source, commit and licence). Only the classpath is read, so a fresh clone runs the same tests.
 */
final class VectorFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private VectorFiles() {
    }

    /** A vector file under {@code /vectors/} as a JSON tree. */
    static JsonNode json(String path) {
        String resource = "/vectors/" + path;
        try (InputStream in = VectorFiles.class.getResourceAsStream(resource)) {
            Objects.requireNonNull(in, () -> "missing test resource " + resource);
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Any JSON text as a tree, to compare JSON documents independently of member order. */
    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A table of expected outcomes written as {@code "OUTCOME", "1-3, 7", "OTHER", "4"}: pairs of an outcome name
     * and a list of tcIds and inclusive tcId ranges. A tcId listed twice is an error in the table.
     */
    static Map<Integer, String> outcomes(String... outcomeThenIds) {
        Map<Integer, String> table = new TreeMap<>();
        for (int i = 0; i < outcomeThenIds.length; i += 2) {
            for (String part : outcomeThenIds[i + 1].split(",")) {
                String[] bounds = part.strip().split("-");
                int from = Integer.parseInt(bounds[0]);
                int to = Integer.parseInt(bounds[bounds.length - 1]);
                for (int id = from; id <= to; id++) {
                    if (table.put(id, outcomeThenIds[i]) != null) {
                        throw new IllegalArgumentException("tcId " + id + " listed twice");
                    }
                }
            }
        }
        return table;
    }

    /** Every test case of a Wycheproof file, with its group, in file order. */
    static List<WycheproofCase> wycheproofCases(JsonNode file) {
        List<WycheproofCase> cases = new ArrayList<>();
        for (JsonNode group : file.get("testGroups")) {
            for (JsonNode test : group.get("tests")) {
                cases.add(new WycheproofCase(group, test));
            }
        }
        return cases;
    }

    /** One Wycheproof test case and the group (key) it belongs to. */
    record WycheproofCase(JsonNode group, JsonNode test) {

        int tcId() {
            return test.get("tcId").asInt();
        }

        String comment() {
            return test.get("comment").asText();
        }

        /** {@code valid}, {@code invalid} or {@code acceptable}. */
        String result() {
            return test.get("result").asText();
        }

        Set<String> flags() {
            Set<String> flags = new LinkedHashSet<>();
            test.path("flags").forEach(f -> flags.add(f.asText()));
            return flags;
        }

        String field(String name) {
            return test.get(name).isTextual() ? test.get(name).asText() : test.get(name).toString();
        }

        byte[] hex(String name) {
            return java.util.HexFormat.of().parseHex(test.get(name).asText());
        }

        /** The name shown in the test report: id, comment, expected result and flags. */
        String displayName() {
            String comment = comment().isEmpty() ? "(no comment)" : comment();
            return "tcId " + tcId() + ": " + comment + " → " + result()
                    + (flags().isEmpty() ? "" : " " + flags());
        }
    }
}
