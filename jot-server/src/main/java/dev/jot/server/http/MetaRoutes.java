package dev.jot.server.http;

import io.javalin.config.RoutesConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /health}, the RFC 8414 metadata document at {@code /.well-known/openid-configuration}, and the
 * OpenAPI description of the whole API at {@code GET /openapi.json} ({@link OpenApi}). The documents are built once
 * and served from memory; all three routes are public.
 */
public final class MetaRoutes implements RouteTable {
    private final String issuer;
    private final String signingAlg;
    private final List<String> scopes;
    private volatile byte[] openApi;

    public MetaRoutes(String issuer, String signingAlg, List<String> scopes) {
        this.issuer = issuer;
        this.signingAlg = signingAlg;
        this.scopes = List.copyOf(scopes);
    }

    @Override
    public void addTo(RoutesConfig routes) {
        byte[] metadata = JsonCodec.write(metadata());
        routes.get(OpenApi.PATH, ctx -> ctx
                .header("Cache-Control", "public, max-age=300")
                .contentType("application/json").result(openApi()));
        routes.get("/.well-known/openid-configuration", ctx -> ctx
                .header("Cache-Control", "public, max-age=300")
                .contentType("application/json").result(metadata));
        // Liveness: the process answers. Whether it should get traffic (database, key, migrations) is /ready's
        // question; a liveness probe that failed with the database would restart every instance during an outage.
        routes.get("/health", ctx -> Responses.json(ctx, 200, Map.of("status", "up")));
    }

    /**
     * The OpenAPI document, built on first use and kept: building it takes ~50 ms on a cold JVM (measured
     * 2026-11-30, JDK 25), which the start-up path does without. The tests build it on every run, so a broken
     * description fails the build, not this request.
     */
    private byte[] openApi() {
        byte[] doc = openApi;
        if (doc == null) {
            synchronized (this) {
                if (openApi == null) {
                    openApi = OpenApi.document(issuer);
                }
                doc = openApi;
            }
        }
        return doc;
    }

    private Map<String, Object> metadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer);
        m.put("jwks_uri", issuer + "/.well-known/jwks.json");
        // RFC 8414 §2 fields. Confidential clients (and API keys) authenticate with a secret (RFC 6749 §2.3.1); the
        // first-party client is public ("none").
        List<String> clientAuth = List.of("client_secret_basic", "client_secret_post", "none");
        m.put("token_endpoint", issuer + "/oauth2/token");
        m.put("revocation_endpoint", issuer + "/oauth2/revoke");
        m.put("introspection_endpoint", issuer + "/oauth2/introspect");
        m.put("grant_types_supported", List.of("password", "refresh_token", "client_credentials"));
        m.put("token_endpoint_auth_methods_supported", clientAuth);
        m.put("revocation_endpoint_auth_methods_supported", clientAuth);
        m.put("introspection_endpoint_auth_methods_supported", List.of("bearer"));
        m.put("scopes_supported", scopes);
        m.put("response_types_supported", List.of("token"));
        m.put("subject_types_supported", List.of("public"));
        m.put("id_token_signing_alg_values_supported", List.of(signingAlg));
        m.put("access_token_signing_alg_values_supported", List.of(signingAlg));
        return m;
    }
}
