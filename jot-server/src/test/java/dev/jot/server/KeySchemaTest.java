package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.JwtVerifier;
import dev.jot.server.config.ServerConfig;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The key lifecycle in the schema (V3): what it does to keys stored before, and what it refuses whoever writes. */
@ParameterizedClass(name = "on {0}")
@ValueSource(strings = {"h2", "postgres"})
class KeySchemaTest {
    @Parameter
    String database;
    @TempDir
    Path dataDir;

    TestDatabase db;
    ServerConfig config;
    Instance jot;

    @BeforeEach
    void database() {
        db = TestDatabase.create(database);
        config = db.applyTo(TestConfigs.base(dataDir)).build();
    }

    @AfterEach
    void stop() {
        if (jot != null) {
            jot.close();
        }
        db.close();
    }

    @Test
    void aDatabaseFromBeforeKeyLifecyclesKeepsSigningWithItsOldestActiveKey() {
        // Two genuine keys, made by a server, then stored as schema V1 stored them: both 'active', as when two
        // instances raced on an empty database (each signed with the oldest).
        jot = Instance.start(config, Clock.systemUTC());
        jot.register("ada");
        String oldToken = jot.token("ada");
        String oldest = Instance.kid(oldToken);
        String other = awaitNextKey();
        List<Map<String, Object>> keys = jot.server.services().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT kid, alg, private_jwk_encrypted, public_jwk FROM signing_keys").mapToMap().list());
        jot.close();
        jot = null;
        Flyway flyway = Flyway.configure().dataSource(config.effectiveDbUrl(), config.dbUser(), config.dbPassword())
                .cleanDisabled(false).target("1").load();
        flyway.clean();
        flyway.migrate();
        Instant now = Instant.now();
        for (Map<String, Object> k : keys) {
            Instant created = now.minus(Duration.ofDays(k.get("kid").equals(oldest) ? 2 : 1));
            jdbiOf(config).useHandle(h -> h.createUpdate("INSERT INTO signing_keys (kid, alg, status, "
                            + "private_jwk_encrypted, public_jwk, created_at) VALUES (:kid, :alg, 'active', :priv, :pub, :at)")
                    .bind("kid", (String) k.get("kid")).bind("alg", (String) k.get("alg"))
                    .bind("priv", (String) k.get("private_jwk_encrypted")).bind("pub", (String) k.get("public_jwk"))
                    .bind("at", OffsetDateTime.ofInstant(created, ZoneOffset.UTC)).execute());
        }

        jot = Instance.start(config, Clock.systemUTC()); // migrates to V3
        jot.register("ada");
        assertThat(jot.signingKid("ada")).isEqualTo(oldest);
        String next = awaitNextKey();
        assertThat(next).isNotIn(oldest, other);
        assertThat(jot.publishedKids()).as("the other stays published for a day").containsExactly(oldest, next, other);
        JwtVerifier v = JwtVerifier.builder().keys(jot.jwks()).algorithms(Algorithm.RS256).build();
        assertThat(v.verify(oldToken).header().kid()).isEqualTo(oldest);
        String retired = jdbiOf(config).withHandle(h -> h.createQuery("SELECT status || ':' || private_jwk_encrypted "
                + "FROM signing_keys WHERE kid = :kid").bind("kid", other).mapTo(String.class).one());
        assertThat(retired).as("retired, its private half erased").isEqualTo("retired:");
    }

    @Test
    void theDatabaseItselfRefusesASecondActiveOrNextKey() {
        jot = Instance.start(config, Clock.systemUTC());
        String active = jot.keys().ring().activeKid();
        awaitNextKey();

        for (String status : List.of("active", "next")) {
            assertThat(sqlState(() -> Instance.sql(config, "INSERT INTO signing_keys (kid, alg, status, "
                    + "private_jwk_encrypted, public_jwk, created_at, activated_at, ring_slot) VALUES ('intruder', "
                    + "'RS256', '" + status + "', 'x', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '" + status + "')")))
                    .as("a second %s key", status).isEqualTo("23505");
        }
        assertThat(sqlState(() -> Instance.sql(config,
                "UPDATE signing_keys SET status = 'active', ring_slot = 'active', activated_at = CURRENT_TIMESTAMP "
                        + "WHERE status = 'next'")))
                .as("promoting the next key while another is active").isEqualTo("23505");
        assertThat(sqlState(() -> Instance.sql(config,
                "UPDATE signing_keys SET ring_slot = NULL WHERE kid = '" + active + "'")))
                .as("an active key outside its slot").isIn("23514", "23513"); // check violation: PostgreSQL, H2
        assertThat(sqlState(() -> Instance.sql(config,
                "UPDATE signing_keys SET status = 'retired' WHERE kid = '" + active + "'")))
                .as("a retired key without retirement time").isIn("23514", "23513");
        assertThat(jot.keys().reload().activeKid()).isEqualTo(active);
    }

    private String awaitNextKey() {
        return jot.nextKey();
    }

    private static org.jdbi.v3.core.Jdbi jdbiOf(ServerConfig c) {
        return org.jdbi.v3.core.Jdbi.create(c.effectiveDbUrl(), c.dbUser(), c.dbPassword());
    }

    /** The SQLSTATE the statement fails with (23505 unique violation; a check violation is 23514, on H2 23513). */
    private static String sqlState(Runnable statement) {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(statement::run);
        assertThat(failure).as("the statement must fail").isNotNull();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s.getSQLState();
            }
        }
        throw new AssertionError("no SQLException in " + failure);
    }
}
