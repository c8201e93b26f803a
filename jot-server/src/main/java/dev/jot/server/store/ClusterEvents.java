package dev.jot.server.store;

import dev.jot.server.config.ServerConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes every instance must learn about (revocations, signing-key changes), carried over the one database
 * the instances share — DESIGN.md: nothing that must be consistent lives only in one instance's memory.
 *
 * <p>On PostgreSQL a change is announced by {@code pg_notify} inside the transaction that makes it (so it is
 * delivered on commit, and never for a rolled-back change), and each instance {@code LISTEN}s on a dedicated
 * connection. Notifications are at-most-once (one sent while an instance is reconnecting is lost), so every
 * subscriber also registers a resync that reloads its state from the tables: run after each (re)connect, and
 * every {@link #RESYNC_EVERY} by the server's jobs as the safety net. On H2 (one instance per database file)
 * nothing is sent or heard: only the resync runs.
 */
public final class ClusterEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterEvents.class);
    public static final Duration RESYNC_EVERY = Duration.ofSeconds(10);
    private static final long RECONNECT_PAUSE_MS = 1_000;
    private static final int POLL_MS = 250;

    private final ServerConfig config;
    private final boolean postgres;
    /** Notifications are database-wide: the channel names the schema so that instances share events only with
     * instances on the same tables. */
    private final String channel;
    private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
    private final List<Runnable> resyncs = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private Thread worker;

    public ClusterEvents(Database db, ServerConfig config) {
        this.config = config;
        this.postgres = config.effectiveDbUrl().startsWith("jdbc:postgresql:");
        this.channel = postgres ? "jot_events_" + db.jdbi().withHandle(h -> h.createQuery("SELECT current_schema()")
                .mapTo(String.class).one()).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_") : "";
    }

    /** Calls {@code listener} with the payload of every {@code topic} event (from any instance, this one included). */
    public void subscribe(String topic, Consumer<String> listener) {
        listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /** Registers a reload of state from the database: the safety net for lost notifications. */
    public void onResync(Runnable resync) {
        resyncs.add(resync);
    }

    /**
     * Announces an event inside the caller's transaction: other instances hear it when that transaction
     * commits. The caller applies the change to its own instance itself (it knows before anyone else).
     */
    public void publish(Handle transaction, String topic, String payload) {
        if (postgres) {
            transaction.createQuery("SELECT pg_notify(:channel, :message)")
                    .bind("channel", channel)
                    .bind("message", topic + ":" + payload)
                    .mapTo(String.class)
                    .one();
        }
    }

    /** Starts listening on a daemon thread (PostgreSQL; on H2 there is nothing to hear). */
    public synchronized void start() {
        if (worker != null || !postgres) {
            return;
        }
        worker = new Thread(this::listenLoop, "jot-cluster-events");
        worker.setDaemon(true);
        worker.start();
    }

    private void listenLoop() {
        while (!closed) {
            try (Connection c = DriverManager.getConnection(config.effectiveDbUrl(), config.dbUser(), config.dbPassword());
                 Statement s = c.createStatement()) {
                s.execute("LISTEN " + channel); // [a-z0-9_] only: see the constructor
                resyncAll(); // anything announced while this instance was not listening
                PGConnection pg = c.unwrap(PGConnection.class);
                long nextProbe = System.nanoTime() + RESYNC_EVERY.toNanos();
                while (!closed) {
                    PGNotification[] got = pg.getNotifications(POLL_MS);
                    if (got != null) {
                        for (PGNotification n : got) {
                            dispatch(n.getParameter());
                        }
                    }
                    if (System.nanoTime() - nextProbe >= 0) {
                        // A half-open connection never fails a wait for notifications; a statement does, and
                        // the loop then reconnects (and resyncs) instead of listening to nothing.
                        s.execute("SELECT 1");
                        nextProbe = System.nanoTime() + RESYNC_EVERY.toNanos();
                    }
                }
            } catch (SQLException e) {
                if (!closed) {
                    LOG.warn("Lost the cluster-events connection ({}); reconnecting", e.getMessage());
                    sleep(RECONNECT_PAUSE_MS);
                }
            }
        }
    }

    private void dispatch(String message) {
        int colon = message.indexOf(':');
        if (colon < 0) {
            return;
        }
        String topic = message.substring(0, colon);
        String payload = message.substring(colon + 1);
        for (Consumer<String> l : listeners.getOrDefault(topic, List.of())) {
            try {
                l.accept(payload);
            } catch (RuntimeException e) {
                // One bad listener must not stop the others; the periodic resync repairs what it missed.
                LOG.warn("A {} event listener failed: {}", topic, e.toString());
            }
        }
    }

    /** Runs every registered resync now: after a (re)connect, and as the periodic job. */
    public void resyncAll() {
        for (Runnable r : resyncs) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("Resync failed ({}); retrying in {} s", e.toString(), RESYNC_EVERY.toSeconds());
            }
        }
    }

    private boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread w = worker;
        if (w != null) {
            w.interrupt();
            try {
                w.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
