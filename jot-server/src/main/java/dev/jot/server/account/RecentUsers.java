package dev.jot.server.account;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accounts looked up by id in the last second, so that {@code GET /me} under load does not query the
 * database for every request. A change (disable, delete) is seen within {@link #TTL} on every instance;
 * the map is bounded and simply cleared when full.
 */
final class RecentUsers {
    static final Duration TTL = Duration.ofSeconds(1);
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Optional<User> user, long expiresAtNanos) {
    }

    private final UserRepository users;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    RecentUsers(UserRepository users) {
        this.users = users;
    }

    Optional<User> findById(String id) {
        long now = System.nanoTime();
        Entry e = entries.get(id);
        if (e != null && now - e.expiresAtNanos() < 0) {
            return e.user();
        }
        Optional<User> fresh = users.findById(id);
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(id, new Entry(fresh, now + TTL.toNanos()));
        return fresh;
    }
}
