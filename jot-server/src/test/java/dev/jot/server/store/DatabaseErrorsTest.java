package dev.jot.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.jot.server.config.ServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unexpected statement failures are logged whole by the error mapping: their text must carry no bound values. */
class DatabaseErrorsTest {
    @TempDir
    Path dataDir;

    @Test
    void aFailedStatementsMessageDoesNotListItsBoundArguments() {
        String secretHash = "$argon2id$v=19$m=19456,t=2,p=1$c2VjcmV0LXNhbHQ$c2VjcmV0LWRpZ2VzdC1ub3QtZm9yLWxvZ3M";
        try (Database db = Database.open(ServerConfig.builder().port(0).dataDir(dataDir).build())) {
            Throwable failure = catchThrowable(() -> db.jdbi().useHandle(h -> h.createUpdate(
                            "INSERT INTO users (id, username_normalized, username, password_hash, roles, created_at, "
                                    + "disabled) VALUES (:id, :norm, :name, :hash, '', CURRENT_TIMESTAMP, FALSE)")
                    .bind("id", "u1").bind("norm", (String) null).bind("name", "someone").bind("hash", secretHash)
                    .execute()));
            assertThat(failure).isNotNull();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(t.toString()).doesNotContain(secretHash).doesNotContain("c2VjcmV0LWRpZ2VzdC1ub3QtZm9yLWxvZ3M");
            }
        }
    }
}
