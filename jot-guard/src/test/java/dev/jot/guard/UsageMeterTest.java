package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.guard.usage.UsageCount;
import dev.jot.guard.usage.UsageMeter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@link UsageMeter}: exact counts per key and minute, whatever the threads and cuts do meanwhile. */
class UsageMeterTest {

    private final MutableClock clock = new MutableClock(Tokens.T0.plusSeconds(5));
    private final UsageMeter meter = new UsageMeter(clock);

    @Test
    void countsMadeByManyThreadsWhileCutsRunAndMinutesPassAddUpExactly() throws Exception {
        int threads = 6;
        int perThread = 40_000;
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String sub = "u" + (t % 3);
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    meter.count(sub, i % 2 == 0 ? "c1" : null, "orders-api", "/orders/{id}", i % 5 == 0 ? 404 : 200);
                    if (i % 1000 == 0) {
                        meter.rejected("token_expired");
                    }
                }
            });
            w.start();
            workers.add(w);
        }
        Map<String, Long> seen = new HashMap<>();
        Thread cutter = new Thread(() -> {
            while (!done.get()) {
                collect(seen);
                clock.advance(Duration.ofSeconds(20)); // keys of past minutes go idle and are dropped meanwhile
            }
        });
        start.countDown();
        cutter.start();
        for (Thread w : workers) {
            w.join();
        }
        done.set(true);
        cutter.join();
        for (int i = 0; i < 6; i++) {
            collect(seen); // the last counts, and the adders of dropped keys read a few more times
        }
        long perSub = 2L * perThread;
        assertThat(seen).containsEntry("u0 2xx", perSub * 4 / 5).containsEntry("u0 4xx", perSub / 5)
                .containsEntry("u1 2xx", perSub * 4 / 5).containsEntry("u2 4xx", perSub / 5)
                .containsEntry("rejected token_expired", (long) threads * (perThread / 1000));
        assertThat(seen.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo((long) threads * perThread + threads * (perThread / 1000));
    }

    private void collect(Map<String, Long> seen) {
        UsageMeter.Cut cut = meter.cut();
        synchronized (seen) {
            cut.counts().forEach(c -> seen.merge(c.key().subject() + " " + c.key().status(), c.count(), Long::sum));
            cut.rejected().forEach(r -> seen.merge("rejected " + r.reason(), r.count(), Long::sum));
        }
    }

    @Test
    void aCutTakesOnlyWhatCameSinceTheLastOne() {
        for (int i = 0; i < 3; i++) {
            meter.count("ada", null, "orders-api", "/orders", 200);
        }
        assertThat(meter.cut().counts()).extracting(UsageCount::count).containsExactly(3L);
        meter.count("ada", null, "orders-api", "/orders", 200);
        meter.count("ada", null, "orders-api", "/orders", 200);
        assertThat(meter.cut().counts()).extracting(UsageCount::count).containsExactly(2L);
        assertThat(meter.cut().isEmpty()).isTrue();
    }

    @Test
    void eachRequestIsCountedUnderTheMinuteTheClockSaysAndKeysOfIdleMinutesAreDropped() {
        meter.count("ada", "key-1", "orders-api", "/orders/{id}", 201);
        clock.advance(Duration.ofMinutes(1));
        meter.count("ada", "key-1", "orders-api", "/orders/{id}", 201);
        long t0 = Tokens.T0.getEpochSecond();
        assertThat(meter.cut().counts()).containsExactlyInAnyOrder(
                new UsageCount(new UsageCount.Key(t0, "ada", "key-1", "orders-api", "/orders/{id}", "2xx"), 1),
                new UsageCount(new UsageCount.Key(t0 + 60, "ada", "key-1", "orders-api", "/orders/{id}", "2xx"), 1));
        meter.cut();
        meter.cut();
        assertThat(meter.keys()).as("idle for two cuts").isZero();
    }

    @ParameterizedTest(name = "{0} counts as {1}")
    @CsvSource({"101,1xx", "200,2xx", "204,2xx", "304,3xx", "404,4xx", "429,4xx", "500,5xx", "503,5xx", "0,5xx", "999,5xx"})
    void statusesAreCountedByClass(int status, String statusClass) {
        assertThat(UsageMeter.statusClass(status)).isEqualTo(statusClass);
    }
}
