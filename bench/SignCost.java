// bench/SignCost.java — the time of one access-token signature on one core, for bench/clients.sh:
//
//   java -cp jot-cli/target/jot.jar bench/SignCost.java RS256 10
//
// Signs a token shaped like a client-credentials access token (same claims, same size) with a fresh key of the
// algorithm, on one thread, with the same JwtSigner the server uses: 2 s of warm-up, then for the given seconds.
// Prints "<ms> ms per signature (<n> signatures, <cpu ms> ms of CPU each)": the wall time, of which cores / that
// time is the most tokens/s the machine can sign, and the thread's CPU time, the same on a quiet machine and the
// cost of a signature on a busy one (where other processes take the core away for part of the wall time).
import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Claims;
import dev.jot.jwt.Jwk;
import dev.jot.jwt.JwtSigner;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.UUID;

public class SignCost {
    public static void main(String[] args) {
        Algorithm alg = Algorithm.valueOf(args[0]);
        long seconds = Long.parseLong(args[1]);
        JwtSigner signer = JwtSigner.builder(Jwk.generate(alg, "bench")).type("at+jwt").build();
        Instant now = Instant.now();
        String client = UUID.randomUUID().toString();
        Claims claims = Claims.builder().issuer("http://localhost:8080").subject(client)
                .audience("http://localhost:8080").issuedAt(now).expiresAt(now.plusSeconds(900))
                .jwtId("q3hA8WnE0N7qVt2yN0mJ4w").claim("client_id", client).claim("scope", "orders:read")
                .build();
        long sink = 0;
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            sink += signer.sign(claims).length();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long n = 0;
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long t;
        do {
            sink += signer.sign(claims).length();
            n++;
            t = System.nanoTime();
        } while (t < end);
        double ms = (t - start) / 1e6 / n;
        double cpuMs = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6 / n;
        System.out.printf("%.4f ms per signature (%d signatures, %.4f ms of CPU each)%n", ms, n, cpuMs);
        if (sink == 42) {
            System.out.println(); // keeps the JIT from dropping the work
        }
    }
}
