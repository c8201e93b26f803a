package dev.jot.server.audit;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records security events. A failing audit write is logged but does not fail the user's request. */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_ADDRESS = 64;

    private final AuditRepository repository;
    private final Clock clock;

    public AuditLog(AuditRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public void record(String event, String userId, String clientAddress, String detail) {
        String addr = clientAddress == null || clientAddress.length() <= MAX_ADDRESS ? clientAddress
                : clientAddress.substring(0, MAX_ADDRESS);
        try {
            repository.insert(new AuditEvent(clock.instant(), event, userId, addr, detail));
        } catch (RuntimeException e) {
            LOG.warn("Could not write audit event {} for user {}: {}", event, userId, e.toString());
        }
    }

    public AuditRepository repository() {
        return repository;
    }
}
