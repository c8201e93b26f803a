package dev.jot.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI 3.1 description of the HTTP API, served at {@value #PATH}. It is kept as JSON resources under
 * {@code src/main/resources/openapi/}: {@code openapi.json} holds what every route shares (info, security schemes,
 * the problem document and its codes, common answers and parameters), and one file per area holds that area's
 * {@code paths} and the {@code components} only it uses, named like the {@link RouteTable} it describes ({@link
 * #PARTS}). They are merged once at start; a name defined twice is an error, so a part cannot silently replace
 * another's. The tests check that the merged document describes exactly the server's routes, that it is valid
 * OpenAPI 3.1, and that real answers match it.
 *
 * <p>To describe a new route: add its path and method to the part of its route table (a new table gets a new
 * file, listed in {@link #PARTS}); list every status it answers by design, each with its media type and schema
 * (refusals: {@code application/problem+json} with the {@code code}s it can carry; the shared answers in
 * {@code #/components/responses} cover 401, 403, 413, 415, 429 and 503); end with {@code "default"}. Then drive
 * it to a success in {@code OpenApiContractTest}, which fails until every operation has been.
 */
public final class OpenApi {
    public static final String PATH = "/openapi.json";
    /** The area files, in the order their paths appear: add a file here when a new {@link RouteTable} gets one. */
    public static final List<String> PARTS = List.of("account", "me", "session", "revocation", "oauth", "api-keys",
            "clients", "admin", "throttle", "usage", "keys", "meta", "ops");
    private static final String DIRECTORY = "/openapi/";
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private OpenApi() {
    }

    /** The merged document, with {@code issuer} as its one server URL. */
    public static byte[] document(String issuer) {
        ObjectNode doc = read("openapi");
        ArrayNode servers = doc.putArray("servers");
        servers.addObject().put("url", issuer).put("description", "this server (its issuer)");
        for (String part : PARTS) {
            ObjectNode p = read(part);
            for (Iterator<String> names = p.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("paths") && !name.equals("components")) {
                    throw new IllegalStateException("openapi/" + part + ".json: only 'paths' and 'components' "
                            + "belong in a part, not '" + name + "'");
                }
            }
            merge(doc.withObject("/paths"), p.path("paths"), part + ".json paths");
            for (Map.Entry<String, JsonNode> section : p.path("components").properties()) {
                merge(doc.withObject("/components").withObject("/" + section.getKey()), section.getValue(),
                        part + ".json components." + section.getKey());
            }
        }
        try {
            return MAPPER.writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void merge(ObjectNode into, JsonNode from, String where) {
        for (Map.Entry<String, JsonNode> e : from.properties()) {
            if (into.has(e.getKey())) {
                throw new IllegalStateException("openapi/" + where + ": '" + e.getKey() + "' is defined twice");
            }
            into.set(e.getKey(), e.getValue());
        }
    }

    private static ObjectNode read(String name) {
        try (InputStream in = OpenApi.class.getResourceAsStream(DIRECTORY + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("missing resource openapi/" + name + ".json");
            }
            return (ObjectNode) MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("openapi/" + name + ".json is not valid JSON", e);
        }
    }
}
