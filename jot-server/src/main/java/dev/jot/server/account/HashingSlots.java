package dev.jot.server.account;

import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Admission control for password hashing: at most {@code concurrency} hashes at once, at most {@code queue} more
 * waiting, each waiting at most {@code deadline}. Argon2 is memory-hard by design, so an unbounded queue of logins
 * is an unbounded claim on memory and on every later client's latency; here a full house is answered at once with
 * {@link ServerError#SERVER_BUSY} (503 + Retry-After), and a request whose client has gone, or whose deadline has
 * passed, is dropped when its turn comes instead of being hashed for nobody.
 *
 * <p>The hashes run on platform threads: a CPU-bound Argon2 run on a virtual thread would hold one of the few
 * carrier threads for tens of milliseconds, starving every other request, and native code pins it anyway.
 */
public final class HashingSlots {
    private final ThreadPoolExecutor pool;
    private final Duration deadline;
    private final int concurrency;
    private final int queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong ran = new AtomicLong();
    private final java.util.concurrent.atomic.LongAdder hashingNanos = new java.util.concurrent.atomic.LongAdder();

    public HashingSlots(int concurrency, int queue, Duration deadline) {
        if (concurrency < 1 || queue < 0) {
            throw new IllegalArgumentException("at least one hashing slot, and a queue of 0 or more");
        }
        this.concurrency = concurrency;
        this.queue = queue;
        this.deadline = deadline;
        BlockingQueue<Runnable> waiting = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        this.pool = new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.MILLISECONDS, waiting,
                Thread.ofPlatform().name("argon2-", 0).daemon(true).factory(), new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * How many hashes may run at once: one per core, and no more than {@code budgetMiB} of Argon2 memory
     * ({@code N × m ≤ budget}), at least one.
     */
    public static int concurrencyFor(int cores, int budgetMiB, int memoryKiB) {
        long byMemory = (long) budgetMiB * 1024 / Math.max(1, memoryKiB);
        return (int) Math.max(1, Math.min(cores, byMemory));
    }

    /** One slot per core, a long queue and a 30 s deadline, shared: for callers outside the server ({@code jot hash-cost}). */
    static HashingSlots standalone() {
        return Standalone.SLOTS;
    }

    private static final class Standalone {
        static final HashingSlots SLOTS = new HashingSlots(Runtime.getRuntime().availableProcessors(), 10_000,
                Duration.ofSeconds(30));
    }

    /**
     * Runs {@code work} in a slot and returns its result, or throws {@link ServerError#SERVER_BUSY} when every slot
     * and queue place is taken, when the deadline passes first, or when {@code wanted} says the client has gone
     * by the time a slot frees up.
     */
    public <T> T run(Callable<T> work, BooleanSupplier wanted) {
        long queuedAt = System.nanoTime();
        long budget = deadline.toNanos();
        // 0 queued, 1 running, 2 given up by its caller: whichever side moves it from 0 first decides.
        java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger();
        FutureTask<T> task = new FutureTask<>(() -> {
            if (!state.compareAndSet(0, 1) || System.nanoTime() - queuedAt > budget || !wanted.getAsBoolean()) {
                dropped.incrementAndGet();
                throw new Dropped();
            }
            ran.incrementAndGet();
            long started = System.nanoTime();
            try {
                return work.call();
            } finally {
                hashingNanos.add(System.nanoTime() - started);
            }
        });
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            refused.incrementAndGet();
            throw busy();
        }
        try {
            return task.get(budget, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (state.compareAndSet(0, 2)) {
                throw busy(); // still queued: it will be dropped when its turn comes
            }
            return finish(task); // it started in time: a hash takes milliseconds, wait for it
        } catch (InterruptedException e) {
            state.compareAndSet(0, 2);
            Thread.currentThread().interrupt();
            throw busy();
        } catch (ExecutionException e) {
            throw failure(e);
        }
    }

    private static <T> T finish(FutureTask<T> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        } catch (ExecutionException e) {
            throw failure(e);
        } catch (CancellationException e) {
            throw busy();
        }
    }

    private static RuntimeException failure(ExecutionException e) {
        if (e.getCause() instanceof Dropped) {
            return busy();
        }
        return new IllegalStateException("password hashing failed", e.getCause());
    }

    private static ServerException busy() {
        return new ServerException(ServerError.SERVER_BUSY, "the server is busy checking passwords; try again shortly")
                .withRetryAfter(Duration.ofSeconds(1));
    }

    /** Loads the Argon2 implementation on a hashing thread, off the start-up path. */
    void warmUp(Runnable load) {
        pool.execute(load);
    }

    public int concurrency() {
        return concurrency;
    }

    public int queue() {
        return queue;
    }

    /** Hashes running now. */
    public int activeCount() {
        return pool.getActiveCount();
    }

    /** Requests waiting for a slot now. */
    public int waitingCount() {
        return pool.getQueue().size();
    }

    /** Hashes run since start. */
    public long ran() {
        return ran.get();
    }

    /** Time spent hashing (in a slot, not waiting for one) since start, in nanoseconds: over {@link #ran()} runs. */
    public long hashingNanos() {
        return hashingNanos.sum();
    }

    /** Requests dropped from the queue (client gone or deadline passed) since start. */
    public long dropped() {
        return dropped.get();
    }

    /** Requests refused at once because every slot and queue place was taken, since start. */
    public long refused() {
        return refused.get();
    }

    public void close() {
        pool.shutdownNow();
    }

    /** A queued hash that was not run. */
    private static final class Dropped extends RuntimeException {
        Dropped() {
            super(null, null, false, false);
        }
    }
}
