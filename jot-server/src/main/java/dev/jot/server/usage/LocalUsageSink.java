package dev.jot.server.usage;

import dev.jot.guard.usage.UsageBatch;
import dev.jot.guard.usage.UsageSink;

/**
 * Where the server's own guard ships its batches: straight into the database, as {@code POST /usage/batches} would
 * store them (the same id counted once, the same quota checks), without HTTP or a token.
 */
public final class LocalUsageSink implements UsageSink {
    private final UsageService usage;

    public LocalUsageSink(UsageService usage) {
        this.usage = usage;
    }

    @Override
    public void ship(UsageBatch batch) {
        usage.ingest(batch);
    }
}
