package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.server.error.ServerError;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /openapi.json}: it describes exactly the routes the server has (as Javalin's router holds them), it is
 * a valid OpenAPI 3.1 document by the official schema, every schema it refers to resolves, and its lists of codes
 * are the server's. The answers themselves are checked against it by {@link OpenApiContractTest}.
 */
class OpenApiDescriptionTest {
    @TempDir
    static Path dataDir;
    static JotServer server;
    static Http http;
    static OpenApiDescription description;

    @BeforeAll
    static void start() {
        server = JotServer.start(TestConfigs.base(dataDir).build());
        http = new Http(server.baseUrl());
        description = OpenApiDescription.load();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theDescriptionHasEveryRouteOfTheServerAndNoOther() {
        Set<String> routes = server.httpRoutes().stream()
                .map(r -> r.substring(0, r.indexOf(' ') + 1) + OpenApiDescription.normalise(r.substring(r.indexOf(' ') + 1)))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(routes).as("the server's routes").hasSizeGreaterThan(30).contains("GET /openapi.json");

        Set<String> undescribed = new TreeSet<>(routes);
        undescribed.removeAll(description.operations());
        Set<String> missing = new TreeSet<>(description.operations());
        missing.removeAll(routes);
        assertThat(undescribed).as("routes the description lacks (add them to src/main/resources/openapi/)").isEmpty();
        assertThat(missing).as("described operations the server does not have").isEmpty();
    }

    @Test
    void everyFileOfTheDescriptionIsMerged() throws java.io.IOException {
        Set<String> files;
        try (var list = java.nio.file.Files.list(Path.of("src/main/resources/openapi"))) {
            files = list.map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> merged = new TreeSet<>();
        merged.add("openapi.json");
        dev.jot.server.http.OpenApi.PARTS.forEach(p -> merged.add(p + ".json"));
        assertThat(files).as("files under src/main/resources/openapi: list new ones in OpenApi.PARTS").isEqualTo(merged);
    }

    @Test
    void theDescriptionIsValidOpenApi31ByTheOfficialSchema() {
        assertThat(description.document.path("openapi").asString()).startsWith("3.1.");
        assertThat(description.oasErrors()).isEmpty();
    }

    @Test
    void anOpenApiParserReadsTheDescriptionWithoutAComplaint() {
        var result = OpenApiDescription.parse(description.bytes);
        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getSpecVersion()).isEqualTo(io.swagger.v3.oas.models.SpecVersion.V31);
        assertThat(result.getOpenAPI().getPaths()).hasSizeGreaterThan(25);
    }

    @Test
    void everySchemaOfEveryAnswerResolves() {
        assertThat(description.resolveEveryAnswerSchema()).isGreaterThan(100);
    }

    @Test
    void theProblemCodesAreExactlyThoseOfTheServersErrors() {
        Set<String> codes = Arrays.stream(ServerError.values()).map(ServerError::code)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(strings(description.document.at("/components/schemas/ProblemCode/enum"))).isEqualTo(codes);
    }

    @Test
    void theOAuthErrorsAreThoseTheOAuthRoutesCanAnswer() {
        Set<String> errors = Arrays.stream(ServerError.values()).map(ServerError::oauthError)
                .filter(e -> !e.equals("invalid_token") && !e.equals("insufficient_scope")) // answered as problems
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(strings(description.document.at("/components/schemas/OAuthError/properties/error/enum")))
                .isEqualTo(errors);
    }

    @Test
    void everyOperationHasAUniqueIdATagASummaryAndSaysItsSecurity() {
        List<JsonNode> operations = description.operations().stream().map(op -> {
            String method = op.substring(0, op.indexOf(' ')).toLowerCase(java.util.Locale.ROOT);
            String path = description.template(op.substring(op.indexOf(' ') + 1).replace("{}", "x")).orElseThrow();
            return description.document.path("paths").path(path).path(method);
        }).toList();
        assertThat(operations).allSatisfy(op -> {
            assertThat(op.path("operationId").asString()).isNotEmpty();
            assertThat(op.path("tags").isEmpty()).as(op.path("operationId").asString()).isFalse();
            assertThat(op.path("summary").asString()).as(op.path("operationId").asString()).isNotEmpty();
            assertThat(op.has("security")).as(op.path("operationId").asString()).isTrue();
            assertThat(op.path("responses").has("default")).as(op.path("operationId").asString()).isTrue();
        });
        assertThat(operations.stream().map(op -> op.path("operationId").asString()).distinct())
                .hasSameSizeAs(operations);
    }

    @Test
    void theServerServesTheDescriptionPubliclyWithItsOwnUrlAndACacheLifetime() {
        HttpResponse<String> r = http.get("/openapi.json");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
        OpenApiDescription served = OpenApiDescription.load();
        assertThat(r.body()).isEqualTo(new String(served.bytes, StandardCharsets.UTF_8));
        assertThat(served.document.at("/servers/0/url").asString()).isEqualTo(TestConfigs.ISSUER);
        assertThat(description.problems("GET", "/openapi.json", r)).isEmpty();
    }

    /** The checks above and in the contract tests can fail: a table of broken descriptions and wrong answers. */
    @Test
    void theOfficialSchemaRefusesABrokenDescription() {
        OpenApiDescription noDescription = description.edited(d -> ((tools.jackson.databind.node.ObjectNode)
                d.at("/paths/~1health/get/responses/200")).remove("description"));
        OpenApiDescription badParameter = description.edited(d -> ((tools.jackson.databind.node.ObjectNode)
                d.at("/components/parameters/Limit")).put("in", "body"));
        OpenApiDescription badStatus = description.edited(d -> ((tools.jackson.databind.node.ObjectNode)
                d.at("/paths/~1health/get/responses")).set("20x", d.at("/paths/~1health/get/responses/200")));

        OpenApiDescription danglingRef = description.edited(d -> ((tools.jackson.databind.node.ObjectNode)
                d.at("/paths/~1health/get/responses/200")).put("$ref", "#/components/responses/Nowhere"));
        OpenApiDescription undeclaredParameter = description.edited(d -> ((tools.jackson.databind.node.ObjectNode)
                d.at("/paths/~1api-keys~1{id}/delete")).remove("parameters"));

        assertThat(OpenApiDescription.parse(danglingRef.bytes).getMessages()).anyMatch(m -> m.contains("Nowhere"));
        assertThat(OpenApiDescription.parse(undeclaredParameter.bytes).getMessages()).anyMatch(m -> m.contains("id"));
        assertThat(noDescription.oasErrors()).isNotEmpty();
        assertThat(badParameter.oasErrors()).isNotEmpty();
        assertThat(badStatus.oasErrors()).isNotEmpty();
    }

    @Test
    void anAnswerThatDiffersFromTheDescriptionIsReported() {
        record Case(String method, String path, int status, String contentType, String body, String complaint) {
        }
        List<Case> cases = List.of(
                new Case("GET", "/health", 200, "application/json", "{\"status\":\"up\"}", null),
                new Case("GET", "/health", 200, "application/json", "{\"status\":\"sideways\"}", "enum"),
                new Case("GET", "/health", 200, "application/json", "{\"status\":\"up\",\"extra\":1}", "extra"),
                new Case("GET", "/health", 200, "text/plain", "up", "media type"),
                new Case("GET", "/health", 418, "application/json", "{}", "not described"),
                new Case("GET", "/me", 200, "application/json", "{\"id\":\"1\",\"username\":\"ada\",\"roles\":[],"
                        + "\"created_at\":\"2026-01-01T00:00:00Z\",\"token\":{\"expires_at\":\"\",\"scope\":\"\"}}",
                        "Cache-Control is required"),
                new Case("GET", "/me", 401, "application/problem+json",
                        "{\"title\":\"Unauthorized\",\"status\":401,\"code\":\"user_exists\",\"detail\":\"x\"}", "code"),
                new Case("GET", "/me", 401, "application/problem+json",
                        "{\"title\":\"Unauthorized\",\"status\":\"401\",\"code\":\"token_missing\",\"detail\":\"x\"}",
                        "status"),
                new Case("POST", "/logout", 204, null, "", null),
                new Case("POST", "/logout", 204, "application/json", "{}", "no body"),
                new Case("PUT", "/logout", 200, "application/json", "{}", "405"),
                new Case("GET", "/nowhere", 200, "application/json", "{}", "404"),
                new Case("GET", "/admin/users/42", 200, "application/json",
                        "{\"id\":\"42\",\"username\":\"ada\",\"roles\":[],\"disabled\":false}", "created_at"));
        for (Case c : cases) {
            List<String> problems = description.problems(c.method(), c.path(),
                    new FakeResponse(c.status(), c.contentType(), c.body()));
            if (c.complaint() == null) {
                assertThat(problems).as(c.toString()).isEmpty();
            } else {
                assertThat(String.join("\n", problems)).as(c.toString()).contains(c.complaint());
            }
        }
    }

    private static Set<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asString)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
