package dev.jot.server.account;

import dev.jot.jwt.VerifiedJwt;
import dev.jot.server.audit.AuditEvent;
import dev.jot.server.audit.AuditLog;
import dev.jot.server.config.Registration;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.session.SessionService;
import dev.jot.server.session.TokenPair;
import dev.jot.server.metrics.Metrics;
import dev.jot.server.throttle.Throttle;
import dev.jot.server.token.Grant;
import dev.jot.server.token.TokenPolicy;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Accounts: registration, password login (which starts a session), password change, roles. */
public final class AccountService {
    public static final int MIN_PASSWORD = 8;
    public static final int MAX_PASSWORD = 1024;

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final SessionService sessions;
    private final TokenPolicy policy;
    private final Registration registration;
    private final AuditLog audit;
    private final Clock clock;
    private final Throttle throttle;
    private final Metrics metrics;
    /** Verified for unknown users so that they cost the same time as known ones (OWASP Authentication CS). */
    private final String dummyHash;

    public AccountService(UserRepository users, PasswordHasher hasher, SessionService sessions, TokenPolicy policy,
                          Registration registration, AuditLog audit, Clock clock, Throttle throttle, Metrics metrics) {
        this.throttle = throttle;
        this.metrics = metrics;
        this.users = users;
        this.hasher = hasher;
        this.sessions = sessions;
        this.policy = policy;
        this.registration = registration;
        this.audit = audit;
        this.clock = clock;
        this.dummyHash = hasher.unmatchableHash();
    }

    /**
     * Self-registration ({@code POST /register}): 403 {@code registration_closed} when only admins create accounts,
     * else as {@link #create}.
     */
    public User register(String rawUsername, String password, String clientAddress) {
        if (registration == Registration.CLOSED) {
            throw new ServerException(ServerError.REGISTRATION_CLOSED, "accounts are created by an administrator");
        }
        User user = create(rawUsername, password, List.of(), () -> throttle.admitRegistration(clientAddress));
        audit.record(AuditEvent.REGISTER, user.id(), clientAddress, null);
        return user;
    }

    /**
     * Creates an account with {@code roles} whatever the registration setting (the admin API, the first admin);
     * 400 for an unacceptable username, password or role, 409 {@code user_exists} when the name is taken. The
     * caller records who did it.
     */
    public User create(String rawUsername, String password, List<String> roles) {
        return create(rawUsername, password, roles, () -> { });
    }

    /** {@link #create}, with {@code admit} run once the input is valid, before the (costly) hash: the throttle. */
    private User create(String rawUsername, String password, List<String> roles, Runnable admit) {
        Usernames.Username name;
        try {
            name = Usernames.parse(rawUsername);
        } catch (Usernames.InvalidUsername e) {
            throw new ServerException(ServerError.INVALID_USERNAME, e.getMessage());
        }
        checkPassword(password, name);
        List<String> checkedRoles = Roles.check(roles);
        admit.run();
        User user = new User(UUID.randomUUID().toString(), name.display(), hasher.hash(password), checkedRoles,
                clock.instant().truncatedTo(ChronoUnit.MICROS), false);
        if (!users.insert(user, name.normalized())) {
            throw new ServerException(ServerError.USER_EXISTS, "that username is taken, or looks like one that is");
        }
        return user;
    }

    /**
     * The user whose password this is. Every failure (unknown user, wrong password, disabled account, malformed
     * username) does the same Argon2 work and yields the same 401, so the answer does not reveal which it was.
     */
    public User login(String rawUsername, String password, String clientAddress) {
        try {
            User user = checkPassword(rawUsername, password, clientAddress);
            metrics.login(Metrics.LoginOutcome.OK);
            return user;
        } catch (ServerException e) {
            switch (e.error()) {
                case RATE_LIMITED -> metrics.login(Metrics.LoginOutcome.THROTTLED);
                case INVALID_CREDENTIALS -> metrics.login(Metrics.LoginOutcome.FAILED);
                default -> { } // malformed input, or the server is busy: no password was checked
            }
            throw e;
        }
    }

    private User checkPassword(String rawUsername, String password, String clientAddress) {
        if (cannotMatch(password)) {
            throw ServerException.badRequest("password must be Unicode text of at most " + MAX_PASSWORD + " characters");
        }
        Throttle.Attempt attempt = new Throttle.Attempt(throttleName(rawUsername), clientAddress);
        throttle.check(attempt); // before any hashing, and before looking the name up: alike for every name
        Optional<User> found = find(rawUsername);
        PasswordHasher.Check check = hasher.verify(password, found.map(User::passwordHash).orElse(dummyHash));
        if (found.isEmpty() || !check.matches() || found.get().disabled()) {
            String reason = found.isEmpty() ? "unknown_user" : !check.matches() ? "wrong_password" : "disabled";
            throttle.failed(attempt);
            audit.record(AuditEvent.LOGIN_FAILURE, found.map(User::id).orElse(null), clientAddress, reason);
            throw invalidCredentials();
        }
        throttle.succeeded(attempt);
        User user = found.get();
        if (check.needsRehash()) { // parameters were raised since this hash was made (OWASP: upgrade on login)
            String upgraded = hasher.hash(password);
            if (users.replacePasswordHash(user.id(), user.passwordHash(), upgraded)) {
                user = new User(user.id(), user.username(), upgraded, user.roles(), user.createdAt(), user.disabled());
            }
        }
        audit.record(AuditEvent.LOGIN_SUCCESS, user.id(), clientAddress, null);
        return user;
    }

    /**
     * Starts a session for a user who just proved their password ({@link #login}). Refused as bad credentials when
     * the password changed, or the account was disabled, while the login was hashing.
     */
    public TokenPair startSession(User user, String clientId) {
        return startSession(user, clientId, new Grant(policy.userScopes(), policy.defaultAudience()));
    }

    /** {@link #startSession(User, String)} whose tokens carry {@code grant} (a token request's scope and API). */
    public TokenPair startSession(User user, String clientId, Grant grant) {
        TokenPair pair = sessions.start(user.subject(), user.passwordHash(), clientId, grant)
                .orElseThrow(AccountService::invalidCredentials);
        metrics.tokenIssued("password");
        return pair;
    }

    /**
     * Changes the caller's password after checking the current one, and ends every other session of theirs in the
     * same transaction (OWASP Session Management: renew sessions after a password change); the caller's own
     * session goes on. Of two changes at once, the one that commits first wins; the other is refused.
     */
    public void changePassword(VerifiedJwt caller, String currentPassword, String newPassword, String clientAddress) {
        String userId = caller.claims().subject().orElse("");
        User user = users.findById(userId).filter(u -> !u.disabled())
                .orElseThrow(() -> new ServerException(ServerError.TOKEN_INVALID, "The account of this token is no longer active"));
        Throttle.Attempt attempt = new Throttle.Attempt(throttleName(user.username()), clientAddress);
        throttle.check(attempt);
        if (cannotMatch(currentPassword) || !hasher.verify(currentPassword, user.passwordHash()).matches()) {
            throttle.failed(attempt);
            audit.record(AuditEvent.PASSWORD_CHANGE_FAILURE, userId, clientAddress, "wrong_current_password");
            throw wrongCurrentPassword();
        }
        throttle.succeeded(attempt);
        checkNewPassword(newPassword, user.username());
        String newHash = hasher.hash(newPassword);
        Optional<String> keep = caller.claims().getString("sid");
        List<String> ended = users.inTransaction(tx -> {
            if (!users.updatePassword(tx, userId, user.passwordHash(), newHash, clock.instant())) {
                throw wrongCurrentPassword();
            }
            return sessions.endSessionsOf(tx, userId, keep, "password_changed");
        });
        sessions.applyEnded(ended);
        audit.record(AuditEvent.PASSWORD_CHANGED, userId, clientAddress, ended.size() + " other sessions ended");
    }

    private static ServerException wrongCurrentPassword() {
        return new ServerException(ServerError.WRONG_CURRENT_PASSWORD, "the current password is incorrect");
    }

    /**
     * Adds {@code role} to the user named {@code rawUsername} (for {@code jot admin grant-role}); the user's
     * tokens carry it from their next login or refresh. Roles are lower-case letters, digits, '_' and '-'.
     */
    public User grantRole(String rawUsername, String role) {
        Roles.check(List.of(role));
        User user = byName(rawUsername);
        if (!user.roles().contains(role)) {
            List<String> roles = new ArrayList<>(user.roles());
            roles.add(role);
            users.setRoles(user.id(), roles);
            audit.record(AuditEvent.ROLE_GRANTED, user.id(), null, role);
        }
        return users.findById(user.id()).orElseThrow();
    }

    /**
     * Whether no stored password can equal {@code password}, so it is refused before any work: longer than any
     * password can be (counted as registration counts: characters, not UTF-16 units), or not Unicode text.
     */
    static boolean cannotMatch(String password) {
        return password.length() > MAX_PASSWORD && password.codePointCount(0, password.length()) > MAX_PASSWORD
                || hasUnpairedSurrogate(password);
    }

    /**
     * JSON escapes can carry half of a surrogate pair ({@code "\\ud800"}); that is not Unicode text, and UTF-8 would
     * encode it as {@code ?}, so two different passwords would hash alike.
     */
    private static boolean hasUnpairedSurrogate(String s) {
        return s.codePoints().anyMatch(cp -> Character.getType(cp) == Character.SURROGATE);
    }

    static ServerException invalidCredentials() {
        return new ServerException(ServerError.INVALID_CREDENTIALS, "the username or password is incorrect");
    }

    /** The user who logs in as {@code rawUsername}; 404 {@code user_not_found} if none. */
    public User byName(String rawUsername) {
        return find(rawUsername).orElseThrow(() -> new ServerException(ServerError.USER_NOT_FOUND,
                "there is no user named '" + rawUsername + "'"));
    }

    /**
     * The name the throttle counts failures under: the normalised username when the name is valid (so "Alice" and
     * "alice" share one count), else a digest of the name as typed (bounded in length, never a lookup).
     */
    static String throttleName(String rawUsername) {
        try {
            return Usernames.parse(rawUsername).normalized();
        } catch (Usernames.InvalidUsername e) {
            try {
                byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                        .digest(rawUsername.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return "~" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(d).substring(0, 22);
            } catch (java.security.NoSuchAlgorithmException x) {
                throw new IllegalStateException(x);
            }
        }
    }

    /** Forgets the throttle's count of failures for the user named {@code rawUsername} ({@code jot admin unlock}). */
    public int unlock(String rawUsername) {
        return throttle.clearAccount(throttleName(rawUsername));
    }

    private Optional<User> find(String rawUsername) {
        try {
            return users.findByNormalizedUsername(Usernames.parse(rawUsername).normalized());
        } catch (Usernames.InvalidUsername e) {
            return Optional.empty();
        }
    }

    /** The password rules for a new password of the user called {@code username} (400 when broken). */
    private static void checkNewPassword(String password, String username) {
        try {
            checkPassword(password, Usernames.parse(username));
        } catch (Usernames.InvalidUsername e) {
            throw new IllegalStateException("a stored username no longer parses", e);
        }
    }

    private static void checkPassword(String password, Usernames.Username name) {
        if (hasUnpairedSurrogate(password)) {
            throw new ServerException(ServerError.INVALID_PASSWORD,
                    "password must be Unicode text (it holds an unpaired surrogate)");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_PASSWORD || length > MAX_PASSWORD) {
            throw new ServerException(ServerError.INVALID_PASSWORD,
                    "password must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
        }
        if (password.strip().equalsIgnoreCase(name.display()) || password.strip().equalsIgnoreCase(name.normalized())) {
            throw new ServerException(ServerError.INVALID_PASSWORD, "password must not be the username");
        }
    }
}
