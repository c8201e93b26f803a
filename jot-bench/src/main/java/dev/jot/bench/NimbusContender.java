package dev.jot.bench;

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
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Date;
import java.util.Set;

/**
 * nimbus-jose-jwt through its lean path: a prebuilt JWSVerifier and DefaultJWTClaimsVerifier (rather than
 * DefaultJWTProcessor, which adds key selection per token). Ed25519 runs on Google Tink, nimbus's only
 * EdDSA implementation.
 */
final class NimbusContender implements Contender {
    private final Fixture f;
    private final JWSAlgorithm alg;
    private final JWSHeader header;
    private final JWSSigner signer;
    private final JWSVerifier verifier;
    private final DefaultJWTClaimsVerifier<?> claimsVerifier;

    NimbusContender(Fixture f) throws Exception {
        this.f = f;
        this.alg = JWSAlgorithm.parse(f.alg.jwsName());
        this.header = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).keyID(f.kid()).build();
        switch (f.alg) {
            case HS256 -> {
                signer = new MACSigner(f.secret());
                verifier = new MACVerifier(f.secret());
            }
            case RS256 -> {
                signer = new RSASSASigner(f.privateKey());
                verifier = new RSASSAVerifier((RSAPublicKey) f.publicKey());
            }
            case ES256 -> {
                signer = new ECDSASigner((ECPrivateKey) f.privateKey());
                verifier = new ECDSAVerifier((ECPublicKey) f.publicKey());
            }
            case EdDSA -> {
                OctetKeyPair okp = OctetKeyPair.parse(f.jwk.toJson());
                signer = new Ed25519Signer(okp);
                verifier = new Ed25519Verifier(okp.toPublicJWK());
            }
            default -> throw new Unsupported("nimbus (in this benchmark)", f.alg);
        }
        // aud must contain ours, iss must equal ours, exp must be present (and is then checked).
        this.claimsVerifier = new DefaultJWTClaimsVerifier<>(Fixture.AUDIENCE,
                new JWTClaimsSet.Builder().issuer(Fixture.ISSUER).build(), Set.of("exp"));
    }

    @Override
    public Object sign() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(Fixture.ISSUER)
                .subject(Fixture.SUBJECT)
                .audience(Fixture.AUDIENCE)
                .expirationTime(Date.from(f.expiresAt))
                .issueTime(Date.from(f.issuedAt))
                .claim("scope", Fixture.SCOPE)
                .claim("tenant", Fixture.TENANT)
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    @Override
    public Object verify(String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        if (!alg.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
            throw new BadJWTException("bad signature");
        }
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        claimsVerifier.verify(claims, null);
        return claims;
    }
}
