package dev.jot.jwt;

import static dev.jot.jwt.Forge.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jot.jwt.JwtException.Code;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.jsonwebtoken.security.SecureDigestAlgorithm;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cross-verification with the two Java libraries people use most: for every algorithm a token Jot signs
 * verifies with Nimbus and with jjwt, a token either of them signs verifies with Jot, and a token whose
 * signature has one flipped bit verifies with none of the three.
 *
 * <p>Peers and their limits: jjwt 0.13 does all thirteen algorithms with JDK crypto alone (EdDSA through the
 * JDK's Ed25519, JDK 15+). Nimbus does Ed25519 only through Google Tink, which is therefore a test dependency;
 * everything else in Nimbus is JDK crypto. No algorithm is skipped.
 */
class CrossLibraryTest {

    private static final String ISSUER = "https://issuer.example";
    private static final Date EXP = Date.from(NOW.plusSeconds(300));

    // ---- Jot signs ----

    @ParameterizedTest(name = "{0}: Jot signs, Nimbus verifies")
    @EnumSource(Algorithm.class)
    void aTokenJotSignsVerifiesWithNimbus(Algorithm alg) throws Exception {
        SignedJWT jwt = SignedJWT.parse(jotToken(alg));
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo(alg.jwsName());
        assertThat(jwt.verify(nimbusVerifier(alg))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("42");
        assertThat(jwt.getJWTClaimsSet().getExpirationTime()).isEqualTo(EXP);
    }

    @ParameterizedTest(name = "{0}: Jot signs, jjwt verifies")
    @EnumSource(Algorithm.class)
    void aTokenJotSignsVerifiesWithJjwt(Algorithm alg) {
        io.jsonwebtoken.Jws<io.jsonwebtoken.Claims> jws = jjwtParse(alg, jotToken(alg));
        assertThat(jws.getHeader().getAlgorithm()).isEqualTo(alg.jwsName());
        assertThat(jws.getPayload().getSubject()).isEqualTo("42");
        assertThat(jws.getPayload().getIssuer()).isEqualTo(ISSUER);
    }

    // ---- peers sign, Jot verifies ----

    @ParameterizedTest(name = "{0}: Nimbus signs, Jot verifies")
    @EnumSource(Algorithm.class)
    void aTokenNimbusSignsVerifiesWithJot(Algorithm alg) throws Exception {
        VerifiedJwt jwt = jotVerifier(alg).verify(nimbusToken(alg));
        assertThat(jwt.header().alg()).isEqualTo(alg);
        assertThat(jwt.header().kid()).isEqualTo("k1");
        assertThat(jwt.claims().subject()).contains("42");
        assertThat(jwt.claims().expiresAt()).contains(EXP.toInstant());
    }

    @ParameterizedTest(name = "{0}: jjwt signs, Jot verifies")
    @EnumSource(Algorithm.class)
    void aTokenJjwtSignsVerifiesWithJot(Algorithm alg) {
        VerifiedJwt jwt = jotVerifier(alg).verify(jjwtToken(alg));
        assertThat(jwt.header().alg()).isEqualTo(alg);
        assertThat(jwt.claims().subject()).contains("42");
        assertThat(jwt.claims().issuer()).contains(ISSUER);
    }

    // ---- one flipped signature bit: nobody accepts ----

    @ParameterizedTest(name = "{0}: a flipped signature bit verifies with none of the three")
    @EnumSource(Algorithm.class)
    void aTokenWithOneFlippedSignatureBitVerifiesWithNoLibrary(Algorithm alg) throws Exception {
        for (String token : List.of(jotToken(alg), nimbusToken(alg), jjwtToken(alg))) {
            String input = token.substring(0, token.lastIndexOf('.'));
            byte[] signature = Forge.unb64(token.substring(token.lastIndexOf('.') + 1));
            for (int bit : List.of(0, 7, signature.length * 4 + 3, signature.length * 8 - 1)) {
                byte[] flipped = signature.clone();
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                String tampered = input + "." + Forge.b64(flipped);

                Throwable jot = catchThrowable(() -> jotVerifier(alg).verify(tampered));
                assertThat(jot).isInstanceOfSatisfying(JwtException.class,
                        e -> assertThat(e.code()).isEqualTo(Code.BAD_SIGNATURE));
                assertThat(nimbusAccepts(alg, tampered)).as("Nimbus accepts bit %d", bit).isFalse();
                assertThat(catchThrowable(() -> jjwtParse(alg, tampered))).as("jjwt, bit %d", bit)
                        .isInstanceOf(io.jsonwebtoken.JwtException.class);
            }
            // The untampered token is accepted by all three, so the rejections above are the flip's doing.
            assertThat(jotVerifier(alg).verify(token).claims().subject()).contains("42");
            assertThat(nimbusAccepts(alg, token)).isTrue();
            assertThat(jjwtParse(alg, token).getPayload().getSubject()).isEqualTo("42");
        }
    }

    // ---- Jot ----

    private static String jotToken(Algorithm alg) {
        return JwtSigner.builder(Forge.key(alg)).build().sign(Claims.builder()
                .subject("42").issuer(ISSUER).issuedAt(NOW).expiresAt(EXP.toInstant()).build());
    }

    private static JwtVerifier jotVerifier(Algorithm alg) {
        return JwtVerifier.builder().key(Forge.verifyKey(alg)).clock(Forge.CLOCK).issuer(ISSUER).build();
    }

    // ---- Nimbus ----

    private static String nimbusToken(Algorithm alg) throws Exception {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.parse(alg.jwsName()))
                .type(JOSEObjectType.JWT).keyID("k1").build();
        SignedJWT jwt = new SignedJWT(header, new JWTClaimsSet.Builder()
                .subject("42").issuer(ISSUER).issueTime(Date.from(NOW)).expirationTime(EXP).build());
        jwt.sign(nimbusSigner(alg));
        return jwt.serialize();
    }

    private static JWSSigner nimbusSigner(Algorithm alg) throws Exception {
        return switch (Forge.key(alg)) {
            case OctJwk o -> new MACSigner(o.secret().getEncoded());
            case RsaJwk r -> new RSASSASigner(r.privateKey());
            case EcJwk e -> new ECDSASigner(e.privateKey());
            case OkpJwk o -> new Ed25519Signer(OctetKeyPair.parse(o.toJson())); // needs Tink
        };
    }

    private static JWSVerifier nimbusVerifier(Algorithm alg) throws Exception {
        return switch (Forge.verifyKey(alg)) {
            case OctJwk o -> new MACVerifier(o.secret().getEncoded());
            case RsaJwk r -> new RSASSAVerifier(r.publicKey());
            case EcJwk e -> new ECDSAVerifier(e.publicKey());
            case OkpJwk o -> new Ed25519Verifier(OctetKeyPair.parse(o.toJson())); // needs Tink
        };
    }

    /** Whether Nimbus accepts the token: it answers false, or throws for signatures it cannot even parse. */
    private static boolean nimbusAccepts(Algorithm alg, String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        try {
            return jwt.verify(nimbusVerifier(alg));
        } catch (com.nimbusds.jose.JOSEException e) {
            assertThat(e).hasMessageNotContaining("Tink");
            return false;
        }
    }

    // ---- jjwt ----

    private static String jjwtToken(Algorithm alg) {
        return Jwts.builder().subject("42").issuer(ISSUER).issuedAt(Date.from(NOW)).expiration(EXP)
                .signWith(jjwtSigningKey(alg), jjwtAlgorithm(alg)).compact();
    }

    private static io.jsonwebtoken.Jws<io.jsonwebtoken.Claims> jjwtParse(Algorithm alg, String token) {
        var builder = Jwts.parser().clock(() -> Date.from(NOW)).requireIssuer(ISSUER);
        Key key = jjwtVerificationKey(alg);
        var parser = key instanceof javax.crypto.SecretKey secret ? builder.verifyWith(secret) : builder.verifyWith((PublicKey) key);
        return parser.build().parseSignedClaims(token);
    }

    @SuppressWarnings("unchecked")
    private static <K extends Key> SecureDigestAlgorithm<K, ?> jjwtAlgorithm(Algorithm alg) {
        Object a = switch (alg) {
            case HS256 -> Jwts.SIG.HS256;
            case HS384 -> Jwts.SIG.HS384;
            case HS512 -> Jwts.SIG.HS512;
            case RS256 -> Jwts.SIG.RS256;
            case RS384 -> Jwts.SIG.RS384;
            case RS512 -> Jwts.SIG.RS512;
            case PS256 -> Jwts.SIG.PS256;
            case PS384 -> Jwts.SIG.PS384;
            case PS512 -> Jwts.SIG.PS512;
            case ES256 -> Jwts.SIG.ES256;
            case ES384 -> Jwts.SIG.ES384;
            case ES512 -> Jwts.SIG.ES512;
            case EdDSA -> Jwts.SIG.EdDSA;
        };
        return (SecureDigestAlgorithm<K, ?>) a;
    }

    private static Key jjwtSigningKey(Algorithm alg) {
        return switch (Forge.key(alg)) {
            case OctJwk o -> Keys.hmacShaKeyFor(o.secret().getEncoded());
            case RsaJwk r -> (PrivateKey) r.privateKey();
            case EcJwk e -> e.privateKey();
            case OkpJwk o -> o.privateKey();
        };
    }

    private static Key jjwtVerificationKey(Algorithm alg) {
        return switch (Forge.verifyKey(alg)) {
            case OctJwk o -> Keys.hmacShaKeyFor(o.secret().getEncoded());
            case RsaJwk r -> r.publicKey();
            case EcJwk e -> e.publicKey();
            case OkpJwk o -> o.publicKey();
        };
    }
}
