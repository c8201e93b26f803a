package dev.jot.server.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a list read in a stable order: its items, and the cursor that continues after the last of them
 * (empty on the last page). Keyset paging: a page starts strictly after the cursor's row, so rows added while a
 * client pages never make another row appear twice or go missing.
 */
public record Page<T>(List<T> items, Optional<String> next) {
    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(next);
    }
}
