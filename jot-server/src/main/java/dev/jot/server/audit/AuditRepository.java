package dev.jot.server.audit;

import static dev.jot.server.store.Timestamps.utc;

import dev.jot.server.store.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** SQL for {@code audit}. */
public final class AuditRepository {
    private static final String COLUMNS = "id, at, event, user_id, actor_id, client_address, detail";

    private final Jdbi jdbi;

    public AuditRepository(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void insert(AuditEvent e) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO audit (at, event, user_id, actor_id, client_address, detail) "
                        + "VALUES (:at, :event, :user, :actor, :addr, :detail)")
                .bind("at", utc(e.at())).bind("event", e.event())
                .bind("user", e.userId()).bind("actor", e.actorId()).bind("addr", e.clientAddress())
                .bind("detail", e.detail())
                .execute());
    }

    /** Deletes events older than {@code before} (the retention setting); the number deleted. */
    public int deleteBefore(java.time.Instant before) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM audit WHERE at < :before")
                .bind("before", Timestamps.utc(before)).execute());
    }

    /** The newest events first. */
    public List<AuditEvent> recent(int limit) {
        return search(new Filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
                Optional.empty(), limit);
    }

    /** What to search for: each part that is present must match ({@code since} inclusive, {@code until} not). */
    public record Filter(Optional<String> userId, Optional<String> event, Optional<Instant> since,
                         Optional<Instant> until) {
    }

    /** Events matching {@code filter}, newest first, older than the event {@code beforeId} when given. */
    public List<AuditEvent> search(Filter filter, Optional<Long> beforeId, int limit) {
        List<String> where = new ArrayList<>();
        filter.userId().ifPresent(v -> where.add("user_id = :user"));
        filter.event().ifPresent(v -> where.add("event = :event"));
        filter.since().ifPresent(v -> where.add("at >= :since"));
        filter.until().ifPresent(v -> where.add("at < :until"));
        beforeId.ifPresent(v -> where.add("id < :before"));
        String sql = "SELECT " + COLUMNS + " FROM audit"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " ORDER BY id DESC LIMIT :limit";
        return jdbi.withHandle(h -> {
            Query q = h.createQuery(sql).bind("limit", limit);
            filter.userId().ifPresent(v -> q.bind("user", v));
            filter.event().ifPresent(v -> q.bind("event", v));
            filter.since().ifPresent(v -> q.bind("since", utc(v)));
            filter.until().ifPresent(v -> q.bind("until", utc(v)));
            beforeId.ifPresent(v -> q.bind("before", v));
            return q.map((rs, ctx) -> event(rs)).list();
        });
    }

    private static AuditEvent event(ResultSet rs) throws SQLException {
        return new AuditEvent(rs.getLong("id"), Timestamps.read(rs, "at"), rs.getString("event"),
                rs.getString("user_id"), rs.getString("actor_id"), rs.getString("client_address"),
                rs.getString("detail"));
    }
}
