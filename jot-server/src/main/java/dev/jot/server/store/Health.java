package dev.jot.server.store;

/** Readiness probe for the database. */
public final class Health {
    private Health() {
    }

    public static boolean isUp(Database db) {
        try {
            return db.jdbi().withHandle(h -> h.getConnection().isValid(2));
        } catch (RuntimeException | java.sql.SQLException e) {
            return false;
        }
    }
}
