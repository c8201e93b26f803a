package dev.jot.server.account;

import dev.jot.jwt.VerifiedJwt;
import dev.jot.server.audit.AuditEvent;
import dev.jot.server.audit.AuditLog;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.session.SessionService;
import dev.jot.server.session.TokenPair;
import dev.jot.server.throttle.Throttle;
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
    private final AuditLog audit;
    private final Clock clock;
    private final Throttle throttle;
    /** Verified for unknown users so that they cost the same time as known ones (OWASP Authentication CS). */
    private final String dummyHash;

    public AccountService(UserRepository users, PasswordHasher hasher, SessionService sessions, AuditLog audit,
                          Clock clock, Throttle throttle) {
        this.throttle = throttle;
        this.users = users;
        this.hasher = hasher;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
        this.dummyHash = hasher.unmatchableHash();
    }

    /** Creates an account; 400 for an unacceptable username or password, 409 {@code user_exists} when taken. */
    public User register(String rawUsername, String password, String clientAddress) {
        Usernames.Username name;
        try {
            name = Usernames.parse(rawUsername);
        } catch (Usernames.InvalidUsername e) {
            throw new ServerException(ServerError.INVALID_USERNAME, e.getMessage());
        }
        checkPassword(password, name);
        throttle.admitRegistration(clientAddress);
        User user = new User(UUID.randomUUID().toString(), name.display(), hasher.hash(password), List.of(),
                clock.instant().truncatedTo(ChronoUnit.MICROS), false);
        if (!users.insert(user, name.normalized())) {
            throw new ServerException(ServerError.USER_EXISTS, "that username is taken, or looks like one that is");
        }
        audit.record(AuditEvent.REGISTER, user.id(), clientAddress, null);
        return user;
    }

    /**
     * The user whose password this is. Every failure (unknown user, wrong password, disabled account, malformed
     * username) does the same Argon2 work and yields the same 401, so the answer does not reveal which it was.
     */
    public User login(String rawUsername, String password, String clientAddress) {
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
        return sessions.start(user.subject(), user.passwordHash(), clientId).orElseThrow(AccountService::invalidCredentials);
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
        if (role == null || !role.matches("[a-z0-9_-]{1,32}")) {
            throw new ServerException(ServerError.INVALID_ROLE, "a role is 1-32 of a-z, 0-9, '_' and '-'");
        }
        User user = find(rawUsername).orElseThrow(() -> new ServerException(ServerError.USER_NOT_FOUND,
                "there is no user named '" + rawUsername + "'"));
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
