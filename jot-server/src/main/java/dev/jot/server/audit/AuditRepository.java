package dev.jot.server.audit;

import dev.jot.server.store.Timestamps;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** SQL for {@code audit}. */
public final class AuditRepository {
    private final Jdbi jdbi;

    public AuditRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void insert(AuditEvent e) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO audit (at, event, user_id, client_address, detail) "
                        + "VALUES (:at, :event, :user, :addr, :detail)")
                .bind("at", Timestamps.utc(e.at())).bind("event", e.event())
                .bind("user", e.userId()).bind("addr", e.clientAddress()).bind("detail", e.detail())
                .execute());
    }

    /** Deletes events older than {@code before} (the retention setting); the number deleted. */
    public int deleteBefore(java.time.Instant before) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM audit WHERE at < :before")
                .bind("before", Timestamps.utc(before)).execute());
    }

    /** The newest events first. */
    public List<AuditEvent> recent(int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT at, event, user_id, client_address, detail FROM audit "
                        + "ORDER BY id DESC LIMIT :limit")
                .bind("limit", limit)
                .map((rs, ctx) -> new AuditEvent(Timestamps.read(rs, "at"),
                        rs.getString("event"), rs.getString("user_id"), rs.getString("client_address"),
                        rs.getString("detail")))
                .list());
    }
}
