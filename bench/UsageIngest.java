import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 11's ingest benchmark: POST /usage/batches as INSTANCES resource servers would send it, each doing RATE
 * requests/s and shipping every 10 s one batch of ENTRIES counts (SUBJECTS users x ROUTES route templates x status
 * classes, the instance's 10 s of traffic spread over them; all instances serve the same users, so their batches
 * add to the same rows). Phase "paced": each instance sends every 10 s (start times spread over the first 10 s)
 * for PACED_SECONDS. Phase "stress": every instance sends its next batch as soon as the last one is answered, for
 * STRESS_SECONDS. Both after 20 s of warm-up (paced, reported, not judged). Latency is from sending a request
 * to reading its answer. Plain JDK, bounded in count and time.
 *
 *   java bench/UsageIngest.java BASE_URL ADMIN_USER ADMIN_PASSWORD [INSTANCES RATE ENTRIES PACED_SECONDS STRESS_SECONDS]
 */
public class UsageIngest {
    static final String[] ROUTES = {"/orders", "/orders/{id}", "/orders/{id}/items", "/customers/{id}", "/search"};
    static final String[] STATUSES = {"2xx", "4xx"};

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int instances = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        long rate = args.length > 4 ? Long.parseLong(args[4]) : 25_000;
        int entries = args.length > 5 ? Integer.parseInt(args[5]) : 5_000;
        int pacedSeconds = args.length > 6 ? Integer.parseInt(args[6]) : 60;
        int stressSeconds = args.length > 7 ? Integer.parseInt(args[7]) : 30;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(20)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();

        String admin = field(post(client, base, "/login", null, "application/json",
                "{\"username\":\"" + args[1] + "\",\"password\":\"" + args[2] + "\"}"), "access_token");
        String created = post(client, base, "/admin/clients", admin, "application/json",
                "{\"name\":\"usage-bench\",\"scopes\":[\"jot:usage\"]}");
        String token = field(post(client, base, "/oauth2/token", null, "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=" + enc(field(created, "client_id")) + "&client_secret="
                        + enc(field(created, "client_secret"))), "access_token");

        int subjects = Math.max(1, (entries - 1) / (ROUTES.length * STATUSES.length)); // + 1 rejected entry
        System.out.printf("usage ingest: %d instances x %,d req/s, one batch per instance every 10 s of %,d entries "
                        + "(%d subjects x %d routes x %d status classes), %,d requests per batch%n", instances, rate,
                subjects * ROUTES.length * STATUSES.length, subjects, ROUTES.length, STATUSES.length, rate * 10);

        // Warm-up (not judged): the JIT compiles the parse and upsert paths, the pool fills.
        run("warm-up", client, base, token, instances, rate, subjects, 20, true);
        run("paced", client, base, token, instances, rate, subjects, pacedSeconds, true);
        run("stress", client, base, token, instances, rate, subjects, stressSeconds, false);
    }

    static void run(String phase, HttpClient client, String base, String token, int instances, long rate,
                    int subjects, int seconds, boolean paced) throws Exception {
        List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong counted = new AtomicLong();
        long t0 = System.nanoTime();
        long end = t0 + seconds * 1_000_000_000L;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < instances; i++) {
                int instance = i;
                pool.submit(() -> {
                    long next = t0 + (paced ? instance * 10_000_000_000L / instances : 0);
                    int n = 0;
                    // Each body is made (and encoded) as soon as the previous answer is in: paced, that is during
                    // the instance's 10 s wait, not at the moment another instance's batch is being timed. The
                    // instances are other machines; the work of making 1 MB bodies on the server's own cores is
                    // the benchmark's, not the server's.
                    byte[] body = batch(phase + "-" + instance + "-" + n++, instance, rate, subjects)
                            .getBytes(StandardCharsets.UTF_8);
                    while (true) {
                        if (paced) {
                            long wait = next - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                        }
                        if (System.nanoTime() >= end) {
                            return null;
                        }
                        long s = System.nanoTime();
                        String status;
                        try {
                            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/usage/batches"))
                                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            status = Integer.toString(r.statusCode());
                            if (r.statusCode() / 100 != 2 && statuses.get(status) == null) {
                                System.out.println("first " + status + ": " + r.body());
                            }
                            if (r.statusCode() == 202) {
                                counted.addAndGet(rate * 10);
                            }
                        } catch (Exception e) {
                            status = e.getClass().getSimpleName();
                        }
                        micros.add((System.nanoTime() - s) / 1_000);
                        statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
                        next += 10_000_000_000L;
                        body = batch(phase + "-" + instance + "-" + n++, instance, rate, subjects)
                                .getBytes(StandardCharsets.UTF_8);
                    }
                });
            }
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        System.out.printf("%s: %d batches in %.1f s (%.1f batches/s, %,.0f metered requests/s); statuses %s; "
                        + "latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", phase, sorted.size(), elapsed,
                sorted.size() / elapsed, counted.get() / elapsed, new TreeMap<>(statuses),
                pct(sorted, 0.50) / 1000.0, pct(sorted, 0.99) / 1000.0,
                (sorted.isEmpty() ? 0 : sorted.getLast()) / 1000.0);
    }

    /** One instance's 10 s: RATE x 10 requests over subjects x routes x status classes, 5 % of them 4xx. */
    static String batch(String id, int instance, long rate, int subjects) {
        long minute = System.currentTimeMillis() / 1000 / 60 * 60;
        long total = rate * 10;
        int keys = subjects * ROUTES.length;
        long ok = Math.max(1, total * 95 / 100 / keys);
        long bad = Math.max(1, total * 5 / 100 / keys);
        StringBuilder sb = new StringBuilder(keys * 2 * 150);
        sb.append("{\"batch_id\":\"").append(id).append("\",\"instance\":\"bench-").append(instance)
                .append("\",\"merged_buckets\":0,\"counts\":[");
        boolean first = true;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int s = 0; s < subjects; s++) {
            for (String route : ROUTES) {
                for (String status : STATUSES) {
                    long n = status.equals("2xx") ? ok : bad;
                    sb.append(first ? "" : ",").append("{\"minute\":").append(minute)
                            .append(",\"sub\":\"user-").append(s).append("\",\"client_id\":\"jot\",")
                            .append("\"audience\":\"https://orders.example.com\",\"route\":\"").append(route)
                            .append("\",\"status\":\"").append(status).append("\",\"count\":")
                            .append(Math.max(0, n + random.nextLong(-n / 10, n / 10 + 1))).append('}');
                    first = false;
                }
            }
        }
        return sb.append("],\"rejected\":[{\"minute\":").append(minute)
                .append(",\"reason\":\"token_expired\",\"count\":3}]}").toString();
    }

    static long pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }

    static String post(HttpClient c, String base, String path, String token, String type, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = c.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
