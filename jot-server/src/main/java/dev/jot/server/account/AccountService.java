package dev.jot.server.account;

import dev.jot.server.audit.AuditEvent;
import dev.jot.server.audit.AuditLog;
import dev.jot.server.http.ApiProblem;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Registration and password login. */
public final class AccountService {
    public static final int MIN_PASSWORD = 8;
    public static final int MAX_PASSWORD = 1024;

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final Clock clock;
    /** Verified for unknown users so that they cost the same time as known ones (OWASP Authentication CS). */
    private final String dummyHash;

    public AccountService(UserRepository users, PasswordHasher hasher, AuditLog audit, Clock clock) {
        this.users = users;
        this.hasher = hasher;
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
            throw new ApiProblem(400, "invalid_username", e.getMessage());
        }
        checkPassword(password, name);
        User user = new User(UUID.randomUUID().toString(), name.display(), hasher.hash(password), List.of(),
                clock.instant().truncatedTo(ChronoUnit.MICROS), false);
        if (!users.insert(user, name.normalized())) {
            throw new ApiProblem(409, "user_exists", "that username is taken");
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
            throw new ApiProblem(400, "invalid_request",
                    "password must be Unicode text of at most " + MAX_PASSWORD + " characters");
        }
        Optional<User> found = find(rawUsername);
        PasswordHasher.Check check = hasher.verify(password, found.map(User::passwordHash).orElse(dummyHash));
        if (found.isEmpty() || !check.matches() || found.get().disabled()) {
            String reason = found.isEmpty() ? "unknown_user" : !check.matches() ? "wrong_password" : "disabled";
            audit.record(AuditEvent.LOGIN_FAILURE, found.map(User::id).orElse(null), clientAddress, reason);
            throw invalidCredentials();
        }
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
     * Adds {@code role} to the user named {@code rawUsername} (for {@code jot admin grant-role}); the user's
     * tokens carry it from their next login or refresh. Roles are lower-case letters, digits, '_' and '-'.
     */
    public User grantRole(String rawUsername, String role) {
        if (role == null || !role.matches("[a-z0-9_-]{1,32}")) {
            throw new ApiProblem(400, "invalid_request", "a role is 1-32 of a-z, 0-9, '_' and '-'");
        }
        User user = find(rawUsername).orElseThrow(() -> new ApiProblem(404, "user_not_found", "no such user"));
        if (!user.roles().contains(role)) {
            List<String> roles = new java.util.ArrayList<>(user.roles());
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
    public static boolean cannotMatch(String password) {
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

    public static ApiProblem invalidCredentials() {
        // RFC 7235 §3.1: a 401 carries a challenge; Basic is one of the accepted credential forms.
        return new ApiProblem(401, "invalid_credentials", "the username or password is incorrect",
                Map.of("WWW-Authenticate", "Basic realm=\"jot\", charset=\"UTF-8\""));
    }

    private Optional<User> find(String rawUsername) {
        try {
            return users.findByNormalizedUsername(Usernames.parse(rawUsername).normalized());
        } catch (Usernames.InvalidUsername e) {
            return Optional.empty();
        }
    }

    /** The password rules for a new password of the user called {@code username} (400 when broken). */
    public static void checkNewPassword(String password, String username) {
        try {
            checkPassword(password, Usernames.parse(username));
        } catch (Usernames.InvalidUsername e) {
            throw new IllegalStateException("a stored username no longer parses", e);
        }
    }

    private static void checkPassword(String password, Usernames.Username name) {
        if (hasUnpairedSurrogate(password)) {
            throw new ApiProblem(400, "invalid_password",
                    "password must be Unicode text (it holds an unpaired surrogate)");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_PASSWORD || length > MAX_PASSWORD) {
            throw new ApiProblem(400, "invalid_password",
                    "password must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
        }
        if (password.strip().equalsIgnoreCase(name.display()) || password.strip().equalsIgnoreCase(name.normalized())) {
            throw new ApiProblem(400, "invalid_password", "password must not be the username");
        }
    }
}
