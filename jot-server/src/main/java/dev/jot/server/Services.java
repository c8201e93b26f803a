package dev.jot.server;

import dev.jot.guard.Guard;
import dev.jot.jwt.JwtVerifier;
import dev.jot.server.account.AccountService;
import dev.jot.server.account.HashingSlots;
import dev.jot.server.account.PasswordHasher;
import dev.jot.server.account.User;
import dev.jot.server.account.UserRepository;
import dev.jot.server.admin.UserAdministration;
import dev.jot.server.audit.AuditLog;
import dev.jot.server.audit.AuditRepository;
import dev.jot.server.client.CredentialService;
import dev.jot.server.config.Retention;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.config.Settings;
import dev.jot.server.http.Authentication;
import dev.jot.server.http.ClientPresence;
import dev.jot.server.keys.KeyMaker;
import dev.jot.server.keys.KeyRing;
import dev.jot.server.keys.MasterKey;
import dev.jot.server.keys.SigningKeys;
import dev.jot.server.metrics.Metrics;
import dev.jot.server.session.Revocations;
import dev.jot.server.session.SessionService;
import dev.jot.server.store.ClusterEvents;
import dev.jot.server.store.Database;
import dev.jot.server.throttle.Policy;
import dev.jot.server.throttle.Throttle;
import dev.jot.server.token.TokenPolicy;
import dev.jot.server.token.TokenService;
import dev.jot.server.usage.LocalUsageSink;
import dev.jot.server.usage.UsageService;
import dev.jot.guard.usage.UsageMeter;
import dev.jot.guard.usage.UsageShipper;
import java.time.Clock;
import java.time.Duration;
import javax.crypto.SecretKey;

/** The server's services, built once over one database: what route tables are made from. */
public record Services(Database database, ClusterEvents events, Jobs jobs, SigningKeys keys, TokenService tokens,
                       TokenPolicy policy, AuditLog audit, UserRepository users, Revocations revocations,
                       AccountService accounts, SessionService sessions, CredentialService credentials,
                       UserAdministration userAdministration, Authentication authentication, PasswordHasher hasher,
                       Throttle throttle, UsageService usage, UsageShipper usageShipper, Metrics metrics,
                       BeforeStop beforeStop) {

    /** Job names, for {@link Jobs#runNow}. */
    public static final String KEY_MAINTENANCE = "keys";
    public static final String RESYNC = "resync";
    public static final String PURGE = "purge";
    /** Ships what the server's own guard counted into the usage tables. */
    public static final String USAGE_SHIP = "usage-ship";
    /** How often rows that no token can need any more are deleted. */
    static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    /**
     * The server's own guard for its protected routes: this server's published keys, issuer and audiences (its own
     * and the registered APIs: a route decides by scope and role what a token may do there), RFC 9068's
     * {@code at+jwt} type (and {@code JWT} too when tokens are issued so), and the same clock that stamps the
     * tokens. Made from one key ring; see {@link SigningKeys#derived} for when it is made again.
     */
    private static Guard guard(KeyRing ring, TokenService tokens, TokenPolicy policy, Revocations revocations,
                               Clock clock, String[] types, UsageMeter meter) {
        JwtVerifier verifier = JwtVerifier.builder()
                .keys(ring.verificationKeys())
                .algorithms(ring.algorithms())
                .issuer(tokens.issuer())
                .audience(policy.audiences().toArray(String[]::new))
                .types(types)
                .clock(clock)
                .build();
        // Metered like any API protected by Jot (one meter across the guards the key ring makes), but with no rate
        // limits or quotas: a caller past its quota must still reach /me/usage to see why, and an admin to lift it.
        return Guard.builder(verifier).revocationCheck(revocations).clock(clock).metering(meter).build();
    }

    /**
     * @param metrics where services register their meters ({@link Metrics}); {@code GET /metrics} shows them
     */
    static Services create(ServerConfig config, Database db, int port, Clock clock, KeyMaker keyMaker,
                           Metrics metrics) {
        // Tasks to run as the server stops, after the last request and before the database closes (BeforeStop).
        BeforeStop beforeStop = new BeforeStop();
        ClusterEvents events = new ClusterEvents(db, config);
        AuditLog audit = new AuditLog(new AuditRepository(db.jdbi()), clock);
        // One master key: it encrypts the private signing keys and derives the refresh-token successor key.
        SecretKey masterKey = MasterKey.load(config.masterKey(), config.dataDir());
        SigningKeys keys = SigningKeys.open(db.jdbi(), events, audit, config, clock, keyMaker, masterKey);
        TokenService tokens = new TokenService(keys, config.effectiveIssuer(port), config.effectiveAudience(port),
                config.accessTokenTtl(), clock);
        TokenPolicy policy = new TokenPolicy(config.get(Settings.USER_SCOPES), tokens.audience(),
                config.get(Settings.API));
        UserRepository users = new UserRepository(db.jdbi());
        users.fillMissingSkeletons();
        Revocations revocations = new Revocations(db.jdbi(), events, clock,
                tokens.ttl().plus(JwtVerifier.DEFAULT_CLOCK_SKEW));
        SessionService sessions = new SessionService(db.jdbi(), masterKey, revocations, tokens, policy,
                id -> users.findById(id).filter(u -> !u.disabled()).map(User::subject), audit, config.sessions(), clock,
                Retention.of(config), metrics);
        HashingSlots slots = new HashingSlots(HashingSlots.concurrencyFor(Runtime.getRuntime().availableProcessors(),
                config.get(Settings.HASH_MEMORY_MIB), config.argon2().memoryKiB()), config.get(Settings.HASH_QUEUE),
                config.get(Settings.HASH_DEADLINE));
        PasswordHasher hasher = new PasswordHasher(config.argon2(), slots, ClientPresence::current);
        Duration second = Duration.ofSeconds(1);
        Duration maxDelay = config.get(Settings.THROTTLE_MAX_DELAY);
        Throttle throttle = new Throttle(db.jdbi(), audit, clock,
                new Policy(config.get(Settings.THROTTLE_ACCOUNT_FREE), second, maxDelay),
                new Policy(config.get(Settings.THROTTLE_ADDRESS_FREE), second, maxDelay),
                new Policy(config.get(Settings.THROTTLE_REGISTER_FREE), second, maxDelay));
        AccountService accounts = new AccountService(users, hasher, sessions, policy,
                config.get(Settings.REGISTRATION), audit, clock, throttle, metrics);
        CredentialService credentials = new CredentialService(db.jdbi(), tokens, policy, revocations, audit,
                config.get(Settings.API_KEY_MAX_LIFETIME), clock, metrics);
        UserAdministration userAdministration = new UserAdministration(users, accounts, sessions, revocations, audit);
        // With --access-token-type JWT, tokens issued before the switch (at+jwt) stay good here until they expire.
        String issued = config.get(Settings.ACCESS_TOKEN_TYPE);
        String[] types = issued.equals(Settings.AT_JWT) ? new String[] {issued} : new String[] {Settings.AT_JWT, issued};
        UsageMeter meter = new UsageMeter(clock);
        Authentication authentication = new Authentication(keys.derived(ring -> guard(ring, tokens, policy,
                revocations, clock, types, meter)));
        Jobs jobs = new Jobs();
        UsageService usage = new UsageService(db.jdbi(), revocations, clock,
                config.get(Settings.USAGE_MINUTE_RETENTION), config.get(Settings.USAGE_HOUR_RETENTION),
                new UsageService.Limits(asLong(config.get(Settings.DEFAULT_RATE_PER_MINUTE)),
                        asLong(config.get(Settings.DEFAULT_DAILY_QUOTA)),
                        asLong(config.get(Settings.DEFAULT_MONTHLY_QUOTA))),
                () -> jobs.soon(UsageService.APPLY, UsageService.APPLY_SOON));
        tokens.limits(usage::claim);
        // The server's own routes are counted by its guard and stored directly, as a resource server's would be.
        UsageShipper shipper = UsageShipper.builder(meter, new LocalUsageSink(usage)).clock(clock).instance("jot").build();
        jobs.every(KEY_MAINTENANCE, SigningKeys.TICK, keys::maintain)
                .every(RESYNC, ClusterEvents.RESYNC_EVERY, events::resyncAll)
                .every(PURGE, PURGE_EVERY, () -> {
                    revocations.purgeExpired();
                    sessions.purgeFinished();
                    throttle.purge();
                    audit.repository().deleteBefore(clock.instant().minus(config.get(Settings.AUDIT_RETENTION)));
                })
                .every(UsageService.JOB, UsageService.JOB_EVERY, usage::maintain)
                .every(UsageService.APPLY, UsageService.APPLY_EVERY, usage::applyDue)
                .every(USAGE_SHIP, config.get(Settings.USAGE_INTERVAL), shipper::shipNow);
        // The last counts of the server's own routes, once no request can add any, before the database closes.
        beforeStop.add("usage flush", shipper::close);
        // Batches accepted in the last second, added up while the database is open (else: by the next start's job).
        beforeStop.add("usage apply", usage::applyPending);
        ServerMeters.register(metrics, slots, revocations.feed());
        metrics.counter("jot.usage.batches", "Usage batches received (POST /usage/batches and the server's own)",
                "result", "accepted", usage::batchesAccepted);
        metrics.counter("jot.usage.batches", "Usage batches received (POST /usage/batches and the server's own)",
                "result", "duplicate", usage::batchesDuplicate);
        // The server's guard is remade when its keys change: its counters then start again (a counter reset).
        metrics.guardCache(() -> authentication.guards().get().stats().cacheHits(),
                () -> authentication.guards().get().stats().cacheMisses());
        return new Services(db, events, jobs, keys, tokens, policy, audit, users, revocations, accounts, sessions,
                credentials, userAdministration, authentication, hasher, throttle, usage, shipper, metrics, beforeStop);
    }

    private static Long asLong(Integer value) {
        return value == null ? null : value.longValue();
    }
}
