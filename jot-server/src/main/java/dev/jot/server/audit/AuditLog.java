package dev.jot.server.audit;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records security events. A failing audit write is logged but does not fail the user's request. */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_ADDRESS = 64;
    private static final int MAX_DETAIL = 1024;

    private final AuditRepository repository;
    private final Clock clock;

    public AuditLog(AuditRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** An event of {@code userId}'s own doing, or the server's. */
    public void record(String event, String userId, String clientAddress, String detail) {
        record(event, userId, null, clientAddress, detail);
    }

    /** An event {@code actorId} (an admin) caused, about {@code userId} (null when it is about no user). */
    public void record(String event, String userId, String actorId, String clientAddress, String detail) {
        String addr = cut(clientAddress, MAX_ADDRESS);
        try {
            repository.insert(new AuditEvent(0, clock.instant(), event, userId, actorId, addr,
                    cut(detail, MAX_DETAIL)));
        } catch (RuntimeException e) {
            LOG.warn("Could not write audit event {} for user {}: {}", event, userId, e.toString());
        }
    }

    public AuditRepository repository() {
        return repository;
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
