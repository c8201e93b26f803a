package dev.jot.server.keys;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Jwk;
import dev.jot.jwt.JwtSigner;
import dev.jot.jwt.Jwks;
import dev.jot.jwt.OctJwk;
import dev.jot.server.config.ServerConfig;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's signing key and the public keys it publishes. An asymmetric key is generated on first start,
 * stored with its private half encrypted under the master key, and reused on every later start. HS256 uses
 * the configured secret, which is never stored nor published (a JWKS never carries secrets).
 */
public final class SigningKeys {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);

    private final Jwk signingKey;
    private final JwtSigner signer;
    private final Jwks verificationKeys;
    private final String publicJwksJson;

    private SigningKeys(Jwk signingKey, Jwks verificationKeys, Jwks published) {
        this.signingKey = signingKey;
        // RFC 9068 §2.1: access tokens carry typ "at+jwt" so they cannot be confused with other JWTs.
        this.signer = JwtSigner.builder(signingKey).type("at+jwt").build();
        this.verificationKeys = verificationKeys;
        this.publicJwksJson = published.toJson();
    }

    /** Loads (or on first start generates) the signing key for the configured algorithm. */
    public static SigningKeys load(Jdbi jdbi, ServerConfig config) {
        return load(jdbi, config, new KeyMaker(config.signingAlg()));
    }

    /** As {@link #load(Jdbi, ServerConfig)}, taking a new key from {@code maker} if one is needed. */
    public static SigningKeys load(Jdbi jdbi, ServerConfig config, KeyMaker maker) {
        if (config.signingAlg() == Algorithm.HS256) {
            OctJwk secret = OctJwk.of(config.hmacSecret());
            Jwk key = secret.withKid(secret.thumbprint()).withAlg(Algorithm.HS256);
            return new SigningKeys(key, Jwks.of(key), new Jwks(List.of()));
        }
        KeyCipher cipher = new KeyCipher(MasterKey.load(config.masterKey(), config.dataDir()));
        SigningKeyRepository repo = new SigningKeyRepository(jdbi);
        String alg = config.signingAlg().jwsName();
        if (repo.active().stream().noneMatch(k -> k.alg().equals(alg))) {
            Jwk fresh = maker.newKey();
            repo.insert(new StoredKey(fresh.kid(), alg, StoredKey.ACTIVE, cipher.encrypt(fresh.toJson(), fresh.kid()),
                    fresh.toPublicJwk().toJson(), SigningKeyRepository.now()));
            LOG.info("Generated a new {} signing key, kid {}", alg, fresh.kid());
        }
        List<StoredKey> active = repo.active();
        StoredKey chosen = active.stream().filter(k -> k.alg().equals(alg)).findFirst().orElseThrow();
        Jwk signing = Jwk.parse(cipher.decrypt(chosen.privateJwkEncrypted(), chosen.kid()));
        Jwks published = new Jwks(active.stream().map(k -> Jwk.parse(k.publicJwk())).toList());
        return new SigningKeys(signing, published, published);
    }

    public JwtSigner signer() {
        return signer;
    }

    public Algorithm algorithm() {
        return signer.algorithm();
    }

    /** The keys that verify this server's tokens (public keys; the secret for HS256). For the server's own guard. */
    public Jwks verificationKeys() {
        return verificationKeys;
    }

    /** {@code {"keys":[...]}} with public keys only: the body of {@code /.well-known/jwks.json}. */
    public String publicJwksJson() {
        return publicJwksJson;
    }

    public Optional<String> keyId() {
        return Optional.ofNullable(signingKey.kid());
    }
}
