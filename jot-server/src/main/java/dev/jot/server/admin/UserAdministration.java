package dev.jot.server.admin;

import dev.jot.server.account.AccountService;
import dev.jot.server.account.Roles;
import dev.jot.server.account.User;
import dev.jot.server.account.UserRepository;
import dev.jot.server.audit.AuditEvent;
import dev.jot.server.audit.AuditLog;
import dev.jot.server.config.ScopeToken;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.session.Revocations;
import dev.jot.server.session.SessionService;
import dev.jot.server.store.Cursor;
import dev.jot.server.store.Page;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What admins do to accounts, over HTTP ({@code /admin/users}) and from the CLI ({@code jot admin}): list, create,
 * disable, re-enable, change roles, delete. Disabling or deleting takes effect at once: every session ends, and
 * every token of the user issued so far is denied ({@code sub}) until no such token can still be accepted. Role
 * changes apply from the user's next token. Every change is audited with the acting admin ({@code actorId}; null
 * from the CLI). No change may leave the server without an enabled admin ({@code last_admin}).
 */
public final class UserAdministration {
    public static final String ADMIN_ROLE = ScopeToken.ADMIN;
    static final String ADMIN = ADMIN_ROLE;

    private final UserRepository users;
    private final AccountService accounts;
    private final SessionService sessions;
    private final Revocations revocations;
    private final AuditLog audit;

    public UserAdministration(UserRepository users, AccountService accounts, SessionService sessions,
                              Revocations revocations, AuditLog audit) {
        this.users = users;
        this.accounts = accounts;
        this.sessions = sessions;
        this.revocations = revocations;
        this.audit = audit;
    }

    /** Users in creation order; {@code query} matches part of the username, case-insensitively. */
    public Page<User> page(Optional<String> query, Optional<Cursor> after, int limit) {
        Optional<String> contains = query.map(q -> Normalizer.normalize(q.strip(), Normalizer.Form.NFKC)
                .toLowerCase(Locale.ROOT));
        List<User> rows = users.page(contains, after, limit + 1);
        if (rows.size() <= limit) {
            return new Page<>(rows, Optional.empty());
        }
        User last = rows.get(limit - 1);
        return new Page<>(rows.subList(0, limit), Optional.of(new Cursor(last.createdAt(), last.id()).encode()));
    }

    public User get(String id) {
        return users.findById(id).orElseThrow(UserAdministration::notFound);
    }

    /** Creates an account (whatever {@code --registration} says). */
    public User create(String actorId, String username, String password, List<String> roles, String clientAddress) {
        User user = accounts.create(username, password, roles);
        audit.record(AuditEvent.USER_CREATED, user.id(), actorId, clientAddress,
                user.roles().isEmpty() ? null : "roles " + String.join(",", user.roles()));
        return user;
    }

    /**
     * Sets whether the user is disabled, and their roles, as far as given. Disabling ends every session and
     * denies every token issued so far, in the same transaction.
     */
    public User update(String actorId, String id, Optional<Boolean> disabled, Optional<List<String>> roles,
                       String clientAddress) {
        Optional<List<String>> newRoles = roles.map(Roles::check);
        record Change(User before, User after, List<String> endedSessions) {
        }
        Change change = users.inTransaction(tx -> {
            List<String> admins = users.lockEnabledWithRole(tx, ADMIN); // first, always in id order: no deadlock
            User before = users.lock(tx, id).orElseThrow(UserAdministration::notFound);
            User after = new User(before.id(), before.username(), before.passwordHash(),
                    newRoles.orElse(before.roles()), before.createdAt(), disabled.orElse(before.disabled()));
            if (isEnabledAdmin(before) && !isEnabledAdmin(after)) {
                checkNotLastAdmin(admins, id);
            }
            users.update(tx, id, after.roles(), after.disabled());
            List<String> ended = List.of();
            if (after.disabled() && !before.disabled()) {
                ended = sessions.endSessionsOf(tx, id, Optional.empty(), "disabled");
                revocations.denyIssuedUpToNow(tx, Revocations.Kind.sub, id);
            }
            return new Change(before, after, ended);
        });
        if (change.after().disabled() && !change.before().disabled()) {
            sessions.applyEnded(change.endedSessions());
            revocations.applyIssuedUpToNow(Revocations.Kind.sub, id);
            audit.record(AuditEvent.USER_DISABLED, id, actorId, clientAddress,
                    change.endedSessions().size() + " sessions ended");
        } else if (!change.after().disabled() && change.before().disabled()) {
            audit.record(AuditEvent.USER_ENABLED, id, actorId, clientAddress, null);
        }
        for (String r : change.after().roles()) {
            if (!change.before().roles().contains(r)) {
                audit.record(AuditEvent.ROLE_GRANTED, id, actorId, clientAddress, r);
            }
        }
        for (String r : change.before().roles()) {
            if (!change.after().roles().contains(r)) {
                audit.record(AuditEvent.ROLE_REVOKED, id, actorId, clientAddress, r);
            }
        }
        return change.after();
    }

    /**
     * Deletes the account with its sessions and API keys, and denies every token issued to it so far, in one
     * transaction.
     */
    public void delete(String actorId, String id, String clientAddress) {
        users.inTransaction(tx -> {
            List<String> admins = users.lockEnabledWithRole(tx, ADMIN);
            User user = users.lock(tx, id).orElseThrow(UserAdministration::notFound);
            if (isEnabledAdmin(user)) {
                checkNotLastAdmin(admins, id);
            }
            revocations.denyIssuedUpToNow(tx, Revocations.Kind.sub, id);
            return users.delete(tx, id);
        });
        revocations.applyIssuedUpToNow(Revocations.Kind.sub, id);
        audit.record(AuditEvent.USER_DELETED, id, actorId, clientAddress, null);
    }

    // ---- by username, for the CLI ----

    /** {@code jot admin disable-user}. */
    public User disable(String username) {
        return update(null, accounts.byName(username).id(), Optional.of(true), Optional.empty(), null);
    }

    /** {@code jot admin enable-user}. */
    public User enable(String username) {
        return update(null, accounts.byName(username).id(), Optional.of(false), Optional.empty(), null);
    }

    /** {@code jot admin revoke-role}: the user's tokens lose it from their next login or refresh. */
    public User revokeRole(String username, String role) {
        Roles.check(List.of(role));
        User user = accounts.byName(username);
        List<String> roles = new ArrayList<>(user.roles());
        roles.remove(role);
        return update(null, user.id(), Optional.empty(), Optional.of(roles), null);
    }

    /** Whether any account has the admin role (enabled or not). */
    public boolean anyAdmin() {
        return users.anyWithRole(ADMIN);
    }

    private static boolean isEnabledAdmin(User u) {
        return !u.disabled() && u.roles().contains(ADMIN);
    }

    private static void checkNotLastAdmin(List<String> enabledAdmins, String id) {
        if (enabledAdmins.equals(List.of(id))) {
            throw new ServerException(ServerError.LAST_ADMIN, "this is the last enabled admin; make another user "
                    + "an admin first");
        }
    }

    static ServerException notFound() {
        return new ServerException(ServerError.USER_NOT_FOUND, "there is no user with that id");
    }
}
