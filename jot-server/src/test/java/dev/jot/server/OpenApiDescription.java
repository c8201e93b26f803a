package dev.jot.server;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.jot.server.http.OpenApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The server's OpenAPI description as the tests read it: its operations, and a check of a real answer against the
 * schema the description gives for that operation, status and media type (JSON Schema 2020-12, by
 * networknt's validator; {@code $ref}s resolve inside the document).
 *
 * <p>The description leaves objects open, as an evolving API should for its clients; the check is stricter: every
 * object schema that lists its {@code properties} (and says nothing of others) is closed before validation, so an
 * answer with a member the description does not mention fails.
 */
final class OpenApiDescription {
    static final String DOCUMENT_IRI = "https://jot.test/openapi.json";
    static final String OAS_SCHEMA = "oas/schema-3.1-2025-11-23.json";
    static final String OAS_SCHEMA_IRI = "https://spec.openapis.org/oas/3.1/schema/2025-11-23";
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    final byte[] bytes;
    final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private OpenApiDescription(byte[] bytes) {
        this.bytes = bytes;
        this.document = JSON.readTree(bytes);
        JsonNode strict = document.deepCopy();
        close(strict.path("paths"));
        close(strict.path("components"));
        String strictText = JSON.writeValueAsString(strict);
        String oas = resource(OAS_SCHEMA);
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemas(Map.of(DOCUMENT_IRI, strictText, OAS_SCHEMA_IRI, oas)));
    }

    /** The description as the server builds it for {@link TestConfigs#ISSUER}. */
    static OpenApiDescription load() {
        return of(OpenApi.document(TestConfigs.ISSUER));
    }

    static OpenApiDescription of(byte[] document) {
        return new OpenApiDescription(document);
    }

    /** A copy of this description changed by {@code edit} (for tests that show the checks can fail). */
    OpenApiDescription edited(java.util.function.Consumer<ObjectNode> edit) {
        ObjectNode copy = (ObjectNode) document.deepCopy();
        edit.accept(copy);
        return of(JSON.writeValueAsBytes(copy));
    }

    /** Every operation, {@code "METHOD /path/{}"}: path parameters' names replaced by {@code {}}. */
    Set<String> operations() {
        Set<String> out = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (String method : path.getValue().propertyNames()) {
                if (METHODS.contains(method)) {
                    out.add(method.toUpperCase(Locale.ROOT) + " " + normalise(path.getKey()));
                }
            }
        }
        return out;
    }

    /** {@code /admin/clients/{id}/secrets/{sid}} → {@code /admin/clients/{}/secrets/{}}. */
    static String normalise(String template) {
        return template.replaceAll("\\{[^}/]+}", "{}");
    }

    /** What an OpenAPI-aware parser (swagger-parser) makes of {@code document}: its messages are complaints. */
    static io.swagger.v3.parser.core.models.SwaggerParseResult parse(byte[] document) {
        var options = new io.swagger.v3.parser.core.models.ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        return new io.swagger.v3.parser.OpenAPIV3Parser().readContents(new String(document, StandardCharsets.UTF_8),
                null, options);
    }

    /** The errors of the document against the official OpenAPI 3.1 schema. */
    List<String> oasErrors() {
        Schema oas = registry.getSchema(SchemaLocation.of(OAS_SCHEMA_IRI));
        return oas.validate(new String(bytes, StandardCharsets.UTF_8), InputFormat.JSON).stream()
                .map(Error::toString).toList();
    }

    /**
     * What is wrong with {@code r}, the answer to {@code method path}, by the description; empty when nothing is.
     * A path not described must be a 404 and a method not described a 405, each as its component says.
     */
    List<String> problems(String method, String path, HttpResponse<String> r) {
        String what = method + " " + path + " → " + r.statusCode() + " " + r.body();
        Optional<String> template = template(path);
        String responsePointer;
        if (template.isEmpty()) {
            if (r.statusCode() != 404) {
                return List.of(what + ": the path is not described, so the answer must be 404");
            }
            responsePointer = "/components/responses/NotFound";
        } else {
            JsonNode operation = document.path("paths").path(template.get()).path(method.toLowerCase(Locale.ROOT));
            if (operation.isMissingNode()) {
                if (r.statusCode() != 405) {
                    return List.of(what + ": " + method + " is not described for " + template.get()
                            + ", so the answer must be 405");
                }
                responsePointer = "/components/responses/MethodNotAllowed";
            } else {
                String status = Integer.toString(r.statusCode());
                if (!operation.path("responses").has(status)) {
                    return List.of(what + ": status " + status + " is not described for " + method + " "
                            + template.get() + " (described: " + operation.path("responses").propertyNames() + ")");
                }
                responsePointer = "/paths/" + escape(template.get()) + "/" + method.toLowerCase(Locale.ROOT)
                        + "/responses/" + status;
            }
        }
        responsePointer = followRef(responsePointer);
        JsonNode response = document.at(responsePointer);
        List<String> out = new ArrayList<>(headerProblems(what, responsePointer, r));
        JsonNode content = response.path("content");
        String mediaType = r.headers().firstValue("Content-Type").map(OpenApiDescription::mediaType).orElse("");
        if (content.isMissingNode() || content.isEmpty()) {
            if (!r.body().isEmpty()) {
                out.add(what + ": the description gives this answer no body, but it has one (" + mediaType + ")");
            }
            return out;
        }
        if (!content.has(mediaType)) {
            out.add(what + ": media type '" + mediaType + "' is not described (described: "
                    + content.propertyNames() + ")");
            return out;
        }
        if (!mediaType.endsWith("json")) {
            return out; // text/event-stream: a string
        }
        String schemaPointer = responsePointer + "/content/" + escape(mediaType) + "/schema";
        for (Error e : schema(schemaPointer).validate(r.body(), InputFormat.JSON)) {
            out.add(what + ": " + e);
        }
        return out;
    }

    /** The headers the response describes as {@code required}: present, with a value their schema accepts. */
    private List<String> headerProblems(String what, String responsePointer, HttpResponse<String> r) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> h : document.at(responsePointer).path("headers").properties()) {
            String pointer = followRef(responsePointer + "/headers/" + escape(h.getKey()));
            JsonNode header = document.at(pointer);
            if (!header.path("required").asBoolean(false)) {
                continue;
            }
            Optional<String> value = r.headers().firstValue(h.getKey());
            if (value.isEmpty()) {
                out.add(what + ": header " + h.getKey() + " is required by the description but missing");
                continue;
            }
            boolean integer = header.path("schema").path("type").asString("").equals("integer");
            String instance = integer && value.get().matches("\\d{1,18}") ? value.get()
                    : JSON.writeValueAsString(value.get());
            for (Error e : schema(pointer + "/schema").validate(instance, InputFormat.JSON)) {
                out.add(what + ": header " + h.getKey() + ": " + value.get() + ": " + e);
            }
        }
        return out;
    }

    private Schema schema(String pointer) {
        return schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + p)));
    }

    /** Loads and resolves every schema of every answer in the description: a broken {@code $ref} throws. */
    int resolveEveryAnswerSchema() {
        int n = 0;
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                for (String status : op.getValue().path("responses").propertyNames()) {
                    String pointer = followRef("/paths/" + escape(path.getKey()) + "/" + op.getKey() + "/responses/"
                            + status);
                    for (String mediaType : document.at(pointer).path("content").propertyNames()) {
                        Schema s = registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + pointer + "/content/"
                                + escape(mediaType) + "/schema"));
                        s.initializeValidators();
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** The described path template that {@code path} (no query) matches, if any. */
    Optional<String> template(String path) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        for (String template : document.path("paths").propertyNames()) {
            if (template.equals(bare)) {
                return Optional.of(template);
            }
        }
        for (String template : document.path("paths").propertyNames()) {
            String regex = Pattern.quote(template).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q");
            if (bare.matches(regex)) {
                return Optional.of(template);
            }
        }
        return Optional.empty();
    }

    private String followRef(String pointer) {
        JsonNode node = document.at(pointer);
        while (node.has("$ref")) {
            pointer = node.get("$ref").asString().substring(1);
            node = document.at(pointer);
            if (node.isMissingNode()) {
                throw new AssertionError("unresolved $ref " + pointer);
            }
        }
        return pointer;
    }

    static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** JSON Pointer escaping of one reference token (RFC 6901 §3). */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** Closes every object schema that lists its properties and leaves the rest unsaid (see the class comment). */
    private static void close(JsonNode node) {
        if (node instanceof ObjectNode o) {
            boolean schemaObject = o.has("properties") && o.path("properties").isObject()
                    && !o.has("$ref") && !o.has("additionalProperties") && !o.has("allOf")
                    && (o.path("type").asString("").equals("object") || !o.has("type"));
            if (schemaObject) {
                o.put("additionalProperties", false);
            }
        }
        for (JsonNode child : node.values()) {
            close(child);
        }
    }

    static String resource(String name) {
        try (InputStream in = OpenApiDescription.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
