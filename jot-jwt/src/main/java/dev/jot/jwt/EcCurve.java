package dev.jot.jwt;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.util.Optional;

/** The NIST curves JWS uses (RFC 7518 §6.2.1.1), with the parameters needed to validate keys and signatures. */
public enum EcCurve {
    P_256("P-256", "secp256r1", 32),
    P_384("P-384", "secp384r1", 48),
    P_521("P-521", "secp521r1", 66);

    private final String jwkName;
    private final String stdName;
    private final int fieldBytes;
    private final ECParameterSpec spec;

    EcCurve(String jwkName, String stdName, int fieldBytes) {
        this.jwkName = jwkName;
        this.stdName = stdName;
        this.fieldBytes = fieldBytes;
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec(stdName));
            this.spec = params.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks curve " + stdName, e);
        }
    }

    /** The {@code crv} value in a JWK. */
    public String jwkName() {
        return jwkName;
    }

    String stdName() {
        return stdName;
    }

    /** Bytes of one coordinate, and of r or s in a P1363 signature. */
    public int fieldBytes() {
        return fieldBytes;
    }

    public ECParameterSpec spec() {
        return spec;
    }

    /** The group order n. */
    public BigInteger order() {
        return spec.getOrder();
    }

    /** {@code true} when the point satisfies y² = x³ + ax + b (mod p), with both coordinates in [0, p). */
    public boolean contains(ECPoint point) {
        if (point == null || ECPoint.POINT_INFINITY.equals(point)) {
            return false;
        }
        BigInteger p = ((java.security.spec.ECFieldFp) spec.getCurve().getField()).getP();
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger left = y.multiply(y).mod(p);
        BigInteger right = x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(p);
        return left.equals(right);
    }

    public static Optional<EcCurve> fromJwk(String crv) {
        for (EcCurve c : values()) {
            if (c.jwkName.equals(crv)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Finds the curve of a JCA key's parameters by comparing the group order and generator. */
    public static Optional<EcCurve> of(ECParameterSpec params) {
        for (EcCurve c : values()) {
            if (c.spec.getOrder().equals(params.getOrder())
                    && c.spec.getGenerator().equals(params.getGenerator())
                    && c.spec.getCurve().equals(params.getCurve())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
