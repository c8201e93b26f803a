package dev.jot.server.client;

import dev.jot.server.client.Credential.SecretInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of credentials: never a secret, except the one just made. */
final class CredentialViews {
    private CredentialViews() {
    }

    /** An API key in {@code GET /api-keys}. */
    static Map<String, Object> apiKey(Credential k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("name", k.name());
        m.put("start", k.secrets().isEmpty() ? null : k.secrets().getFirst().start());
        m.put("scopes", k.scopes());
        m.put("audiences", k.audiences());
        m.put("created_at", k.createdAt().toString());
        m.put("expires_at", k.expiresAt().map(Object::toString).orElse(null));
        m.put("last_used_at", k.secrets().isEmpty() ? null
                : k.secrets().getFirst().lastUsedAt().map(Object::toString).orElse(null));
        return m;
    }

    /** A key just created: its {@code key} shown this once. */
    static Map<String, Object> createdApiKey(CredentialService.Created created) {
        Credential k = created.credential();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("name", k.name());
        m.put("key", created.secret());
        m.put("start", k.secrets().getFirst().start());
        m.put("scopes", k.scopes());
        m.put("audiences", k.audiences());
        m.put("created_at", k.createdAt().toString());
        m.put("expires_at", k.expiresAt().map(Object::toString).orElse(null));
        return m;
    }

    /** A client in the admin API, with its secrets' ids, starts and use. */
    static Map<String, Object> client(Credential c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_id", c.id());
        m.put("name", c.name());
        m.put("scopes", c.scopes());
        m.put("audiences", c.audiences());
        m.put("created_at", c.createdAt().toString());
        m.put("secrets", c.secrets().stream().map(CredentialViews::secret).toList());
        return m;
    }

    /** A client just created: its {@code client_secret} shown this once. */
    static Map<String, Object> createdClient(CredentialService.Created created) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_id", created.credential().id());
        m.put("client_secret", created.secret());
        m.putAll(client(created.credential()));
        return m;
    }

    static Map<String, Object> secret(SecretInfo s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("start", s.start());
        m.put("created_at", s.createdAt().toString());
        m.put("last_used_at", s.lastUsedAt().map(Object::toString).orElse(null));
        return m;
    }

    static Map<String, Object> list(String name, List<Map<String, Object>> items) {
        return Map.of(name, items);
    }
}
