package dev.jot.server.throttle;

import dev.jot.server.audit.AuditLog;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Brute-force protection for password checks: growing delays per account, per client address and per (account,
 * address) pair, and for registrations per address. A throttled attempt is refused with
 * {@link ServerError#RATE_LIMITED} <em>before</em> any hashing, so it costs the server one indexed read and tells
 * the attacker nothing: the keys are made from the name as typed, whether or not an account has it, so known and
 * unknown names are throttled alike.
 *
 * <p><b>Malicious lockout.</b> Anyone can make an account's delay grow by failing on purpose. An address from
 * which the account logged in within {@link #KNOWN_FOR} (a <i>known</i> pair) is therefore judged by the pair's own
 * count and the address's, not the account's: an attacker elsewhere slows down guesses at the account from
 * everywhere but the places its owner uses. An attacker at the owner's own address meets the pair's delays, which
 * are as strict as the account's.
 *
 * <p><b>Exact and approximate.</b> State lives in one table ({@code throttles}), so every instance on one
 * PostgreSQL (or the one process on H2) sees the same counts; an increment is a row-locked update, so counts are
 * exact. The check is a read before the hash and the count an update after it, so attempts already past the check
 * when the limit is reached still finish: at most (instances × (hashing slots + queue)) guesses beyond the budget
 * in a burst. Delays are judged by the server's clock against the last failure's time as stored (instances' clocks
 * may differ by their skew). A refusal is not audited (that would let a flood write audit rows without limit);
 * the moment a key's delays begin is.
 */
public final class Throttle {
    /** A key's count starts again after this long without a failure. */
    public static final Duration FORGET_AFTER = Duration.ofDays(1);
    /** How long a successful login makes its address a known one for the account. */
    public static final Duration KNOWN_FOR = Duration.ofDays(30);
    public static final String THROTTLE_STARTED = "throttle_started";
    public static final String THROTTLE_CLEARED = "throttle_cleared";

    private final ThrottleRepository repo;
    private final AuditLog audit;
    private final Clock clock;
    private final Policy account;
    private final Policy address;
    private final Policy registrations;

    public Throttle(Jdbi jdbi, AuditLog audit, Clock clock, Policy account, Policy address, Policy registrations) {
        this.repo = new ThrottleRepository(jdbi);
        this.audit = audit;
        this.clock = clock;
        this.account = account;
        this.address = address;
        this.registrations = registrations;
    }

    /**
     * A password check by the holder of {@code address} for the account named {@code account} (the normalised
     * name; for a name that is not valid, a fixed digest of it).
     */
    public record Attempt(String account, String address) {
        String accountKey() {
            return Keys.ACCOUNT + account;
        }

        String addressKey() {
            return Keys.ADDRESS + address;
        }

        String pairKey() {
            return Keys.PAIR + account + "@" + address;
        }
    }

    /** The key prefixes, which name the kind of each row. */
    static final class Keys {
        static final String ACCOUNT = "account:";
        static final String ADDRESS = "address:";
        static final String PAIR = "pair:";
        static final String REGISTER = "register:";

        private Keys() {
        }
    }

    /** Refuses the attempt ({@link ServerError#RATE_LIMITED}, with Retry-After) while any of its keys waits. */
    public void check(Attempt a) {
        Instant now = clock.instant();
        Map<String, ThrottleRepository.Row> rows = repo.read(List.of(a.accountKey(), a.addressKey(), a.pairKey()));
        ThrottleRepository.Row pair = rows.get(a.pairKey());
        boolean known = pair != null && pair.knownUntil() != null && pair.knownUntil().isAfter(now);
        Duration wait = Duration.ZERO;
        wait = longer(wait, remaining(rows.get(a.addressKey()), address, now));
        wait = longer(wait, remaining(pair, account, now));
        if (!known) {
            wait = longer(wait, remaining(rows.get(a.accountKey()), account, now));
        }
        refuseIfWaiting(wait);
    }

    /** Counts a failed password check against all three keys. */
    public void failed(Attempt a) {
        Instant now = now();
        Map<String, Integer> counts = repo.countFailure(List.of(a.accountKey(), a.addressKey(), a.pairKey()), now,
                now.minus(FORGET_AFTER));
        auditStart(counts, a.accountKey(), account, a.address());
        auditStart(counts, a.addressKey(), address, a.address());
        auditStart(counts, a.pairKey(), account, a.address());
    }

    /** A correct password: the account's and the pair's counts start again; the address becomes a known one. */
    public void succeeded(Attempt a) {
        repo.succeeded(a.accountKey(), a.pairKey(), now().plus(KNOWN_FOR));
    }

    /**
     * Admits one registration from {@code clientAddress} (which is counted at once, before the hash, whatever its
     * outcome), or refuses it with {@link ServerError#RATE_LIMITED}.
     */
    public void admitRegistration(String clientAddress) {
        String key = Keys.REGISTER + clientAddress;
        Instant now = clock.instant();
        refuseIfWaiting(remaining(repo.read(List.of(key)).get(key), registrations, now));
        Instant stamp = now();
        Map<String, Integer> counts = repo.countFailure(List.of(key), stamp, stamp.minus(FORGET_AFTER));
        auditStart(counts, key, registrations, clientAddress);
    }

    /** A throttle key with failures counted within {@link #FORGET_AFTER}, and how long it makes clients wait now. */
    public record Entry(String key, int failures, Instant lastFailureAt, Duration retryAfter) {
    }

    /** Keys with recent failures, most first (for {@code GET /admin/throttles}). */
    public List<Entry> recent(int limit) {
        Instant now = clock.instant();
        List<Entry> out = new ArrayList<>();
        for (ThrottleRepository.Row r : repo.withFailuresSince(now.minus(FORGET_AFTER), limit)) {
            out.add(new Entry(r.key(), r.failures(), r.lastFailureAt(), remaining(r, policyOf(r.key()), now)));
        }
        return out;
    }

    /** Forgets the failures of one key ({@code account:alice}, {@code address:192.0.2.1}, ...); false if it had none. */
    public boolean clear(String key) {
        boolean cleared = repo.clear(key) > 0;
        if (cleared) {
            audit.record(THROTTLE_CLEARED, null, null, key);
        }
        return cleared;
    }

    /** Forgets the failures of an account (by its normalised name) and of its pairs: {@code jot admin unlock}. */
    public int clearAccount(String normalizedName) {
        int n = repo.clearAccount(Keys.ACCOUNT + normalizedName, Keys.PAIR + normalizedName + "@");
        audit.record(THROTTLE_CLEARED, null, null, Keys.ACCOUNT + normalizedName);
        return n;
    }

    /** Deletes rows that no longer hold anything: a periodic job. */
    public void purge() {
        Instant now = now();
        repo.purge(now, now.minus(FORGET_AFTER));
    }

    private Policy policyOf(String key) {
        return key.startsWith(Keys.ADDRESS) ? address : key.startsWith(Keys.REGISTER) ? registrations : account;
    }

    private static Duration remaining(ThrottleRepository.Row row, Policy policy, Instant now) {
        if (row == null || row.lastFailureAt() == null || row.failures() == 0
                || row.lastFailureAt().isBefore(now.minus(FORGET_AFTER))) {
            return Duration.ZERO;
        }
        Duration delay = policy.delayAfter(row.failures());
        if (delay.isZero()) {
            return Duration.ZERO; // (a concurrent request may have stamped its failure a moment after this one's now)
        }
        Instant until = row.lastFailureAt().plus(delay);
        return until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO;
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static void refuseIfWaiting(Duration wait) {
        if (!wait.isZero()) {
            // Whole seconds, rounded up (RFC 9110 §10.2.3): a client that waits as told is not refused again.
            long seconds = Math.max(1, wait.plusNanos(999_999_999).toSeconds());
            throw new ServerException(ServerError.RATE_LIMITED, "too many failed attempts; try again in " + seconds
                    + " s").withRetryAfter(Duration.ofSeconds(seconds));
        }
    }

    private void auditStart(Map<String, Integer> counts, String key, Policy policy, String clientAddress) {
        if (Optional.ofNullable(counts.get(key)).orElse(0) == policy.free()) {
            audit.record(THROTTLE_STARTED, null, clientAddress, key.length() <= 300 ? key : key.substring(0, 300));
        }
    }

    /** Microseconds: what PostgreSQL keeps. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
