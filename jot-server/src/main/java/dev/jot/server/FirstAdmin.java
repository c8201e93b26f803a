package dev.jot.server;

import dev.jot.server.account.User;
import dev.jot.server.admin.UserAdministration;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.config.Settings;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first admin of a fresh deployment, from {@code JOT_ADMIN_USERNAME} and {@code JOT_ADMIN_PASSWORD} (the
 * environment or the config file, never a flag): created at start when no user has the {@code admin} role, and
 * left alone otherwise, so the variables may stay set. An existing account of that name is never promoted: anyone
 * could have registered it before the server was configured.
 */
final class FirstAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(FirstAdmin.class);

    private FirstAdmin() {
    }

    /** Creates the admin if the settings ask for one and none exists; a setting that cannot work fails the start. */
    static Optional<User> ensure(ServerConfig config, UserAdministration users) {
        String username = config.get(Settings.ADMIN_USERNAME);
        String password = config.get(Settings.ADMIN_PASSWORD);
        if (username == null && password == null) {
            return Optional.empty();
        }
        if (username == null || password == null) {
            throw new StartupException(Settings.ADMIN_USERNAME.variable() + " and " + Settings.ADMIN_PASSWORD.variable()
                    + " go together: set both to create the first admin", null);
        }
        if (users.anyAdmin()) {
            return Optional.empty();
        }
        try {
            User admin = users.create(null, username, password, List.of(UserAdministration.ADMIN_ROLE), null);
            LOG.info("Created the first admin, {} ({})", admin.username(), Settings.ADMIN_USERNAME.variable());
            return Optional.of(admin);
        } catch (ServerException e) {
            if (e.error() == ServerError.USER_EXISTS && users.anyAdmin()) {
                return Optional.empty(); // another instance created it a moment ago
            }
            String why = e.error() == ServerError.USER_EXISTS
                    ? "an account of that name exists and is not an admin; Jot does not promote it (use 'jot admin "
                    + "grant-role' if it is yours)"
                    : e.detail();
            throw new StartupException("cannot create the first admin from " + Settings.ADMIN_USERNAME.variable()
                    + ": " + why, null);
        }
    }
}
