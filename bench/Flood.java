import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A flood of concurrent password logins against one server (issue 10's admission-control proof), and one
 * legitimate login sent in the middle of it. Run by bench/flood.sh; plain JDK, bounded in count and time.
 *   java bench/Flood.java BASE_URL CONCURRENT ROUNDS
 */
public class Flood {
    public static void main(String[] args) throws Exception {
        String base = args[0];
        int concurrent = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(20)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        send(client, base, "/register", "{\"username\":\"legit\",\"password\":\"correct horse battery\"}");

        Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong maxMillis = new AtomicLong();
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < concurrent; i++) {
                int n = i;
                pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        long s = System.nanoTime();
                        String status;
                        try {
                            // distinct names and (spoofed, untrusted: ignored) addresses: the per-address budget
                            // is what a flood from one address meets first; here every request reaches hashing
                            status = Integer.toString(send(client, base, "/login", "{\"username\":\"flood" + n
                                    + "\",\"password\":\"wrong password " + r + "\"}").statusCode());
                        } catch (Exception e) {
                            status = e.getClass().getSimpleName();
                        }
                        statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
                        maxMillis.accumulateAndGet((System.nanoTime() - s) / 1_000_000, Math::max);
                    }
                    return null;
                });
            }
            Thread.sleep(1500); // the flood is under way
            long s = System.nanoTime();
            HttpResponse<String> legit = send(client, base, "/login",
                    "{\"username\":\"legit\",\"password\":\"correct horse battery\"}");
            long ms = (System.nanoTime() - s) / 1_000_000;
            System.out.printf("legitimate login during the flood: %d in %d ms%s%n", legit.statusCode(), ms,
                    legit.statusCode() == 503 ? " (Retry-After " + legit.headers().firstValue("Retry-After").orElse("?") + ")" : "");
        }
        long total = statuses.values().stream().mapToLong(AtomicLong::get).sum();
        System.out.printf("flood: %d logins (%d concurrent x %d) in %.1f s; statuses %s; slowest %d ms%n", total,
                concurrent, rounds, (System.nanoTime() - t0) / 1e9, new TreeMap<>(statuses), maxMillis.get());
    }

    static HttpResponse<String> send(HttpClient c, String base, String path, String json) throws Exception {
        return c.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
