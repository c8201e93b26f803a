import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Clients for the fault scripts (bench/fault-postgres.sh, bench/fault-kill.sh). Plain JDK; loopback only; every
 * loop is bounded in time.
 *   java bench/Faults.java load   BASE SECONDS WORKERS LEDGER   register + login + refresh, a status table per second
 *   java bench/Faults.java storm  BASE SECONDS WORKERS LEDGER   registrations only
 *   java bench/Faults.java verify BASE LEDGER                   every 201 user logs in; every refresh token refreshes
 * The ledger gets one line per answer the client read: "user NAME STATUS" or "refresh NAME TOKEN".
 */
public class Faults {
    static final String PASSWORD = "correct horse battery";
    static final Pattern REFRESH = Pattern.compile("\"refresh_token\":\"([^\"]+)\"");
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "load", "storm" -> run(a[0].equals("load"), a[1], Integer.parseInt(a[2]), Integer.parseInt(a[3]), Path.of(a[4]));
            case "verify" -> verify(a[1], Path.of(a[2]));
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    static void run(boolean full, String base, int seconds, int workers, Path ledgerFile) throws Exception {
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        Map<Long, Map<String, AtomicInteger>> perSecond = new ConcurrentHashMap<>();
        AtomicLong names = new AtomicLong();
        String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        try (PrintWriter ledger = new PrintWriter(Files.newBufferedWriter(ledgerFile), true);
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < workers; w++) {
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        String name = "u" + run + "x" + names.incrementAndGet();
                        String reg = call(base, "/register", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", ledger, perSecond, start, "register");
                        synchronized (ledger) {
                            ledger.println("user " + name + " " + reg);
                        }
                        if (full && reg.startsWith("201")) {
                            String login = call(base, "/login", "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}", ledger, perSecond, start, "login");
                            Matcher m = REFRESH.matcher(login);
                            if (m.find()) {
                                String refreshed = call(base, "/refresh", "{\"refresh_token\":\"" + m.group(1) + "\"}", ledger, perSecond, start, "refresh");
                                Matcher m2 = REFRESH.matcher(refreshed);
                                synchronized (ledger) {
                                    ledger.println("refresh " + name + " " + (m2.find() ? m2.group(1) : m.group(1)));
                                }
                            }
                        }
                    }
                    return null;
                });
            }
        }
        for (var e : new TreeMap<>(perSecond).entrySet()) {
            System.out.printf("t=%3ds %s%n", e.getKey(), new TreeMap<>(e.getValue()));
        }
    }

    /** One POST; its status (with Retry-After when given) and body, or the exception's name. */
    static String call(String base, String path, String json, PrintWriter ledger, Map<Long, Map<String, AtomicInteger>> perSecond,
                       long start, String what) {
        String key;
        String result;
        try {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            String retry = r.headers().firstValue("Retry-After").map(v -> "+RA").orElse("");
            key = what + " " + r.statusCode() + retry;
            result = r.statusCode() + " " + r.body();
        } catch (IOException | InterruptedException e) {
            key = what + " " + e.getClass().getSimpleName();
            result = "ERR " + e.getClass().getSimpleName();
        }
        long second = (System.nanoTime() - start) / 1_000_000_000;
        perSecond.computeIfAbsent(second, s -> new ConcurrentHashMap<>()).computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        return result;
    }

    static void verify(String base, Path ledgerFile) throws Exception {
        List<String> lines = Files.readAllLines(ledgerFile);
        Map<String, String> registered = new TreeMap<>();
        Map<String, String> refresh = new TreeMap<>();
        for (String l : lines) {
            String[] p = l.split(" ", 3);
            if (p.length < 3) {
                continue; // a line cut by kill -9
            }
            if (p[0].equals("user")) {
                if (p[2].startsWith("ERR ConnectException")) {
                    continue; // never reached the server (it was down): nothing to check
                }
                registered.put(p[1], p[2].substring(0, Math.min(3, p[2].length())));
            } else {
                refresh.put(p[1], p[2]);
            }
        }
        Map<String, AtomicInteger> outcome = new TreeMap<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (var e : registered.entrySet()) {
                pool.submit(() -> {
                    String login = call(base, "/login", "{\"username\":\"" + e.getKey() + "\",\"password\":\"" + PASSWORD + "\"}", null,
                            new ConcurrentHashMap<>(), System.nanoTime(), "");
                    String k = "registered " + e.getValue() + " -> login " + login.substring(0, 3);
                    outcome.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
                    return null;
                });
            }
            for (var e : refresh.entrySet()) {
                pool.submit(() -> {
                    String r = call(base, "/refresh", "{\"refresh_token\":\"" + e.getValue() + "\"}", null,
                            new ConcurrentHashMap<>(), System.nanoTime(), "");
                    outcome.computeIfAbsent("session -> refresh " + r.substring(0, 3), x -> new AtomicInteger()).incrementAndGet();
                    return null;
                });
            }
        }
        synchronized (outcome) {
            outcome.forEach((k, v) -> System.out.println(k + ": " + v));
        }
    }
}
