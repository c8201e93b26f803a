package dev.jot.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What must run when the server stops, after the last request has been answered and before the background jobs,
 * the cluster events and the database are closed: flushes of what is held in memory (usage counts, for one).
 * Register with {@link #add} while the server is built ({@code Services.create}) or running
 * ({@link JotServer#onStop}); each runs once, in the order added; a failure is logged and the next one still runs.
 */
public final class BeforeStop {
    private static final Logger LOG = LoggerFactory.getLogger(BeforeStop.class);

    private final Map<String, Runnable> tasks = new LinkedHashMap<>();
    private boolean ran;

    /** Adds {@code task}, named for the log; a name is taken once. */
    public synchronized BeforeStop add(String name, Runnable task) {
        if (ran || tasks.putIfAbsent(name, task) != null) {
            throw new IllegalStateException("before-stop task " + name + " added twice or after the stop");
        }
        return this;
    }

    /** The names, in the order they run. */
    public synchronized List<String> names() {
        return new ArrayList<>(tasks.keySet());
    }

    /** Runs every task once (later calls do nothing). */
    void runAll() {
        Map<String, Runnable> now;
        synchronized (this) {
            if (ran) {
                return;
            }
            ran = true;
            now = new LinkedHashMap<>(tasks);
        }
        now.forEach((name, task) -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("Before-stop task {} failed: {}", name, e.toString());
            }
        });
    }
}
