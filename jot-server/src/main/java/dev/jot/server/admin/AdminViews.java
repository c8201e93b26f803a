package dev.jot.server.admin;

import dev.jot.server.account.User;
import dev.jot.server.audit.AuditEvent;
import dev.jot.server.keys.Rotation;
import dev.jot.server.session.SessionInfo;
import dev.jot.server.store.Page;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The JSON shapes of the admin API. Never a password hash, a token or a secret. */
final class AdminViews {
    private AdminViews() {
    }

    static Map<String, Object> user(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("username", u.username());
        m.put("roles", u.roles());
        m.put("disabled", u.disabled());
        m.put("created_at", u.createdAt().toString());
        return m;
    }

    static Map<String, Object> session(SessionInfo s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("user_id", s.userId());
        m.put("client_id", s.clientId());
        m.put("scope", String.join(" ", s.scope()));
        m.put("created_at", s.createdAt().toString());
        m.put("expires_at", s.expiresAt().toString());
        return m;
    }

    static Map<String, Object> event(AuditEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("at", e.at().toString());
        m.put("type", e.event());
        m.put("user_id", e.userId());
        m.put("actor_id", e.actorId());
        m.put("client_address", e.clientAddress());
        m.put("detail", e.detail());
        return m;
    }

    static Map<String, Object> rotation(Rotation r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active_kid", r.activeKid());
        m.put("next_kid", r.nextKid());
        m.put("retired_kid", r.retiredKid());
        m.put("early", r.early());
        return m;
    }

    /** A page: {@code {"<name>": [...], "next_cursor": "..." | null}}. */
    static <T> Map<String, Object> page(String name, Page<T> page, Function<T, Map<String, Object>> view) {
        return page(name, page.items().stream().map(view).toList(), page.next());
    }

    static Map<String, Object> page(String name, List<Map<String, Object>> items, Optional<String> next) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(name, items);
        m.put("next_cursor", next.orElse(null));
        return m;
    }
}
