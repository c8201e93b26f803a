import dev.jot.server.account.PasswordHasher;
import dev.jot.server.config.Argon2Params;
import java.util.Arrays;

/**
 * Issue 10: a failed login against a hash made before the cost was raised must take as long as one at the current
 * cost (an unknown name is checked against a current-cost dummy). Prints medians of 15 failed checks each.
 *   java -cp "$(cat jot-server/target/cp.txt):jot-server/target/classes" bench/StaleHash.java
 */
public class StaleHash {
    public static void main(String[] args) {
        Argon2Params before = Argon2Params.OWASP_BASELINE;                 // 19 MiB, t=2
        Argon2Params raised = new Argon2Params(before.memoryKiB(), 5, 1);    // JOT_ARGON2_ITERATIONS=5
        PasswordHasher old = new PasswordHasher(before);
        PasswordHasher now = new PasswordHasher(raised);
        String oldHash = old.hash("the right password");
        String dummy = now.unmatchableHash();
        for (int i = 0; i < 5; i++) {
            now.verify("warm", dummy);
            old.verify("warm", oldHash);
        }
        System.out.printf("unknown name (current-cost dummy):          %6.1f ms%n", median(() -> now.verify("wrong", dummy)));
        System.out.printf("old account, unpadded (what it cost before): %6.1f ms%n", median(() -> old.verify("wrong", oldHash)));
        System.out.printf("old account, padded (now):                   %6.1f ms%n", median(() -> now.verify("wrong", oldHash)));
        System.exit(0);
    }

    static double median(Runnable r) {
        long[] t = new long[15];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        return t[t.length / 2] / 1e6;
    }
}
