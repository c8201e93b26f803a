package dev.jot.server;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's background jobs: each a named task run every so often on one daemon thread once {@link #start()
 * started}. A job judges what is due by the server's injected {@code Clock} (a key rotation, an expired row); the
 * period only says how often it looks. {@link #runNow} runs a job at once on the caller's thread, which is how
 * tests drive time-based behaviour: advance the clock, run the job, assert, without sleeping.
 */
public final class Jobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private ScheduledThreadPoolExecutor thread;
    private boolean closed;

    /** One job; a run never overlaps another run of the same job. */
    private static final class Job {
        final String name;
        final Duration every;
        final Runnable task;
        /** One warning per streak of failures, not one per run. */
        boolean failing;
        /** A run asked for by {@link Jobs#soon} is scheduled and has not started. */
        final java.util.concurrent.atomic.AtomicBoolean due = new java.util.concurrent.atomic.AtomicBoolean();

        Job(String name, Duration every, Runnable task) {
            this.name = name;
            this.every = every;
            this.task = task;
        }

        synchronized void run(boolean scheduled) {
            try {
                task.run();
                failing = false;
            } catch (RuntimeException e) {
                if (!scheduled) {
                    throw e;
                }
                if (!failing) {
                    LOG.warn("Background job {} failed ({}); retrying every {} s", name, e, every.toSeconds());
                }
                failing = true;
            }
        }
    }

    /** Registers {@code task} to run every {@code every} once started. */
    public synchronized Jobs every(String name, Duration every, Runnable task) {
        if (jobs.containsKey(name) || thread != null) {
            throw new IllegalStateException("job " + name + " registered twice or after start");
        }
        jobs.put(name, new Job(name, every, task));
        return this;
    }

    /** Starts the schedule: every job runs once at once, then every period. */
    public synchronized void start() {
        if (thread != null || closed) {
            return;
        }
        thread = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, "jot-jobs");
            t.setDaemon(true);
            return t;
        });
        for (Job job : jobs.values()) {
            thread.scheduleWithFixedDelay(() -> job.run(true), 0, job.every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs the job now on this thread (waiting for a scheduled run in progress); a failure is thrown. */
    public void runNow(String name) {
        Job job;
        synchronized (this) {
            job = jobs.get(name);
        }
        if (job == null) {
            throw new IllegalArgumentException("no job named " + name + "; jobs: " + names());
        }
        job.run(false);
    }

    /**
     * Runs the job once more, {@code after} from now, on the jobs' thread, besides its period: for work that should
     * follow an event closely but be shared by the events of a moment. Calls while such a run is due are absorbed by
     * it. Does nothing before {@link #start} or after {@link #close} (the period, or the stop, covers it).
     */
    public void soon(String name, Duration after) {
        Job job;
        ScheduledExecutorService t;
        synchronized (this) {
            job = jobs.get(name);
            t = closed ? null : thread;
        }
        if (job == null) {
            throw new IllegalArgumentException("no job named " + name + "; jobs: " + names());
        }
        if (t == null || !job.due.compareAndSet(false, true)) {
            return;
        }
        try {
            t.schedule(() -> {
                job.due.set(false);
                job.run(true);
            }, after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            job.due.set(false);
        }
    }

    /** How often the job {@code name} runs once started. */
    public synchronized Duration period(String name) {
        Job job = jobs.get(name);
        if (job == null) {
            throw new IllegalArgumentException("no job named " + name + "; jobs: " + names());
        }
        return job.every;
    }

    public synchronized List<String> names() {
        return List.copyOf(jobs.keySet());
    }

    /**
     * Stops the schedule: a run in progress may finish for up to {@link #FINISH}, and is interrupted only then.
     * Interrupting it at once, as a stop used to, cut the key-maintenance job's first run short in most quick stops
     * ("Failed to commit transaction": H2 closes its file when a thread using it is interrupted); nothing was lost,
     * but a stop is no reason to abandon a transaction that is about to commit.
     */
    @Override
    public void close() {
        ScheduledThreadPoolExecutor t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        if (t == null) {
            return;
        }
        // Every run not yet begun is dropped. Under these two policies shutdown drops the runs not yet due and wakes the
        // idle thread at once; the clear drops those already due, which shutdown keeps. (A clear alone left the idle
        // thread waiting out the delay of a run it no longer had: a stop then took FINISH with nothing to finish.)
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        t.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        t.shutdown();
        t.getQueue().clear();
        try {
            if (!t.awaitTermination(FINISH.toMillis(), TimeUnit.MILLISECONDS)) {
                t.shutdownNow();
                t.awaitTermination(FINISH.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            t.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** How long {@link #close} lets a run in progress finish before interrupting it. */
    static final Duration FINISH = Duration.ofSeconds(5);
}
