package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Json;
import dev.jot.jwt.JwtVerifier;
import dev.jot.jwt.Jwks;
import dev.jot.jwt.OctJwk;
import dev.jot.server.account.UserRepository;
import dev.jot.server.config.Argon2Params;
import dev.jot.server.keys.MasterKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Start-up behaviour: data directory, master key, algorithm choice (on the embedded H2 database). */
class StartupTest {
    @TempDir
    Path tmp;

    @Test
    void freshDataDirectoryIsCreatedWithAnOwnerOnlyMasterKey() throws Exception {
        Path dir = tmp.resolve("a/b/jot-data");
        try (JotServer server = JotServer.start(TestConfigs.base(dir).build())) {
            assertThat(server.port()).isPositive();
            Path key = dir.resolve(MasterKey.FILE_NAME);
            assertThat(key).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("r--------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        }
    }

    @Test
    void dataDirectoryThatIsAFileStopsTheStartWithAClearMessage() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        for (Path dir : new Path[] {file, file.resolve("below")}) {
            assertThatThrownBy(() -> JotServer.start(TestConfigs.base(dir).build()))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("data directory").hasMessageContaining("JOT_DATA_DIR")
                    .hasMessageContaining(dir.toString());
        }
    }

    @Test
    void unreachableDatabaseStopsTheStartNamingIt() {
        assertThatThrownBy(() -> JotServer.start(TestConfigs.base(tmp).dbUrl("jdbc:postgresql://127.0.0.1:1/nothing")
                .dbUser("nobody").build()))
                .isInstanceOf(StartupException.class).hasMessageContaining("cannot open the database")
                .hasMessageContaining("127.0.0.1:1");
    }

    @Test
    void aDifferentMasterKeyCannotUnlockTheStoredSigningKey() {
        byte[] first = random(32);
        JotServer.start(TestConfigs.base(tmp).masterKey(first).build()).close();
        assertThat(tmp.resolve(MasterKey.FILE_NAME)).doesNotExist();
        assertThatThrownBy(() -> JotServer.start(TestConfigs.base(tmp).masterKey(random(32)).build()))
                .isInstanceOf(StartupException.class).hasMessageContaining("master key");
        JotServer.start(TestConfigs.base(tmp).masterKey(first).build()).close();
    }

    @ParameterizedTest
    @EnumSource(value = Algorithm.class, names = {"ES256", "EdDSA"})
    void asymmetricAlgorithmsCanBeSelected(Algorithm alg) {
        try (JotServer server = JotServer.start(TestConfigs.base(tmp).signingAlg(alg).build())) {
            Http http = new Http(server.baseUrl());
            String token = registerAndLogin(http);
            Jwks jwks = Jwks.parse(http.get("/.well-known/jwks.json").body());
            JwtVerifier v = JwtVerifier.builder().keys(jwks).algorithms(alg).build();
            assertThat(v.verify(token).header().alg()).isEqualTo(alg);
        }
    }

    @Test
    void hs256UsesTheConfiguredSecretAndPublishesNoKeys() {
        byte[] secret = random(32);
        try (JotServer server = JotServer.start(TestConfigs.base(tmp).signingAlg(Algorithm.HS256).hmacSecret(secret).build())) {
            Http http = new Http(server.baseUrl());
            String token = registerAndLogin(http);
            assertThat(Jwks.parse(http.get("/.well-known/jwks.json").body()).keys()).isEmpty();
            JwtVerifier v = JwtVerifier.builder().key(OctJwk.of(secret)).algorithms(Algorithm.HS256).build();
            assertThat(v.verify(token).claims().getString("preferred_username")).hasValue("hmac-user");
        }
    }

    @Test
    void defaultIssuerFollowsTheBoundPort() {
        try (JotServer server = JotServer.start(TestConfigs.base(tmp).issuer(null).build())) {
            Map<String, Object> meta = Json.parseObject(new Http(server.baseUrl())
                    .get("/.well-known/openid-configuration").body());
            assertThat(meta).containsEntry("issuer", "http://localhost:" + server.port());
        }
    }

    @Test
    void loginRehashesThePasswordWhenArgon2ParametersWereRaised() {
        try (JotServer server = JotServer.start(TestConfigs.base(tmp).build())) {
            registerAndLogin(new Http(server.baseUrl()));
        }
        Argon2Params raised = new Argon2Params(2048, 2, 1);
        try (JotServer server = JotServer.start(TestConfigs.base(tmp).argon2(raised).build())) {
            UserRepository users = server.services().users();
            assertThat(users.findByNormalizedUsername("hmac-user").orElseThrow().passwordHash()).contains("m=1024,t=1");
            String creds = Json.write(Map.of("username", "hmac-user", "password", "long enough secret"));
            assertThat(new Http(server.baseUrl()).postJson("/login", creds).statusCode()).isEqualTo(200);
            assertThat(users.findByNormalizedUsername("hmac-user").orElseThrow().passwordHash())
                    .startsWith("$argon2id$v=19$m=2048,t=2,p=1$");
            assertThat(new Http(server.baseUrl()).postJson("/login", creds).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void tokensAreStampedWithTheInjectedClock() {
        java.time.Instant frozen = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        java.time.Clock clock = java.time.Clock.fixed(frozen, java.time.ZoneOffset.UTC);
        try (JotServer server = JotServer.start(TestConfigs.base(tmp).accessTokenTtl(java.time.Duration.ofSeconds(90))
                .build(), clock)) {
            String token = registerAndLogin(new Http(server.baseUrl()));
            var claims = JwtVerifier.builder().keys(server.services().keys().verificationKeys())
                    .algorithms(Algorithm.RS256).clock(clock).build().verify(token).claims();
            assertThat(claims.issuedAt()).hasValue(frozen);
            assertThat(claims.expiresAt()).hasValue(frozen.plusSeconds(90));
        }
    }

    private static String registerAndLogin(Http http) {
        String creds = Json.write(Map.of("username", "hmac-user", "password", "long enough secret"));
        assertThat(http.postJson("/register", creds).statusCode()).isEqualTo(201);
        return (String) Json.parseObject(http.postJson("/login", creds).body()).get("access_token");
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
