package dev.jot.guard.usage;

/**
 * Where batches go. {@link #ship} returns once the batch is stored (a duplicate id counts as stored) and throws when
 * it is not known to be: the guard keeps the batch and ships it again, with the same id, later.
 */
@FunctionalInterface
public interface UsageSink {
    void ship(UsageBatch batch) throws Exception;
}
