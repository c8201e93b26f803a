package dev.jot.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The server's meters, one registry per running server (never Micrometer's global one: two servers in one JVM, as
 * in the tests, count apart), scraped as Prometheus text by {@code GET /metrics}.
 *
 * <p>No meter carries a per-user label (user, client, key, address, raw path): per-user numbers are what the usage
 * API is for, and a label per user grows the scrape without bound. Labels are from closed sets: route templates,
 * status codes, outcomes, grant types.
 *
 * <p>Adding a meter: an area takes this object (through {@code Services}) and registers on {@link #registry()}
 * with Micrometer's builders, named {@code jot.<area>.<what>} (Prometheus: {@code jot_<area>_<what>}, with
 * {@code _total} for counters, {@code _seconds} for timers), e.g.
 * {@code Counter.builder("jot.usage.batches").tag("result", "accepted").register(metrics.registry())}; or ask for a
 * named method here when the meter is shared.
 */
public final class Metrics implements AutoCloseable {
    /** Buckets of the latency histograms: 5 ms to 10 s. */
    static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    /** The methods a request may be labelled with; anything else is {@code other}. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    /** How a password login ended. */
    public enum LoginOutcome {
        /** The password matched: a session was started. */
        OK,
        /** Wrong password, unknown user or disabled account (one answer for all three). */
        FAILED,
        /** Refused by the brute-force throttle before any hashing. */
        THROTTLED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private JvmGcMetrics gc;
    private final List<Object> keep = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The grants {@link #tokenIssued} counts. */
    public static final List<String> GRANTS = List.of("password", "refresh_token", "client_credentials", "api_key");

    /**
     * The server's own meters, at zero (a counter that exists from the start lets {@code rate()} see its first
     * increase); the server adds the JVM's meters with {@link #bindJvm()}.
     */
    public Metrics() {
        for (LoginOutcome outcome : LoginOutcome.values()) {
            loginCounter(outcome);
        }
        GRANTS.forEach(this::tokenCounter);
    }

    private Counter loginCounter(LoginOutcome outcome) {
        return Counter.builder("jot.logins").description("Password logins by outcome")
                .tag("outcome", outcome.label()).register(registry);
    }

    private Counter tokenCounter(String grant) {
        return Counter.builder("jot.tokens.issued").description("Access tokens issued by grant type")
                .tag("grant", grant).register(registry);
    }

    /** Adds the JVM's meters: memory, garbage collection, threads, classes, CPU, uptime. */
    public synchronized Metrics bindJvm() {
        if (gc != null) {
            return this;
        }
        gc = new JvmGcMetrics();
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return this;
    }

    /** Where areas register their meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition format (0.0.4) of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /**
     * One answered HTTP request: {@code http_server_requests_seconds{method,route,status}}, a histogram. {@code route}
     * is the matched route's template ({@code /admin/users/{id}}), never the raw path: unmatched requests are
     * {@code unmatched}.
     */
    public void request(String method, String route, int status, long nanos) {
        Timer.builder("http.server.requests")
                .description("HTTP requests answered, by route template and status")
                .tag("method", METHODS.contains(method) ? method : "other")
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    /** {@code jot_logins_total{outcome=ok|failed|throttled}}: password checks at login, by outcome. */
    public void login(LoginOutcome outcome) {
        loginCounter(outcome).increment();
    }

    /**
     * {@code jot_tokens_issued_total{grant}}: access tokens issued, by grant ({@code password}, {@code refresh_token},
     * {@code client_credentials}, {@code api_key}).
     */
    public void tokenIssued(String grant) {
        tokenCounter(grant).increment();
    }

    /** Registers a gauge read when scraped. */
    public void gauge(String name, String description, LongSupplier value) {
        // Micrometer holds a gauge's object weakly: the supplier is often a lambda nothing else keeps.
        Gauge.builder(name, value, v -> (double) v.getAsLong()).description(description).strongReference(true)
                .register(registry);
    }

    /** Registers a counter that an object keeps itself (read when scraped), with one tag. */
    public void counter(String name, String description, String tag, String tagValue, LongSupplier value) {
        keep.add(value); // Micrometer holds a function counter's object weakly
        FunctionCounter.builder(name, value, v -> (double) v.getAsLong()).description(description)
                .tag(tag, tagValue).register(registry);
    }

    /**
     * The hook for the server's own guard's verified-token cache: {@code jot_guard_cache_requests_total{result=hit|
     * miss}}, read from {@code Guard.stats()}.
     */
    public void guardCache(LongSupplier hits, LongSupplier misses) {
        counter("jot.guard.cache.requests", "Verified-token cache lookups of the server's own guard", "result", "hit",
                hits);
        counter("jot.guard.cache.requests", "Verified-token cache lookups of the server's own guard", "result", "miss",
                misses);
    }

    @Override
    public synchronized void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }
}
