package dev.jot.bench;

import dev.jot.guard.AuthResult;
import dev.jot.guard.Guard;
import dev.jot.guard.GuardRequest;
import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Claims;
import dev.jot.jwt.JwtSigner;
import dev.jot.jwt.JwtVerifier;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * jot-guard's request path, RS256: {@code Guard.authenticate} on a token it has verified before (a cache hit: find
 * the token, SHA-256 it, look it up, ask the revocation check), on tokens it has not (a miss: all that, plus the
 * verification and the cache insert), and raw JCA's RS256 verification of the same kind of token for reference.
 * Named {@code authenticate_<case>} so that the report shows the miss as a ratio to raw JCA.
 *
 * <p>The miss cycles through 1,024 distinct tokens (different {@code jti}s, signed at setup) with a cache of one
 * entry, so every call misses and every insert evicts.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GuardBench {
    private static final int POOL = 1024;

    private Guard guard;
    private GuardRequest hot;
    private GuardRequest[] cold;
    private int next;
    private Contender raw;

    /** The request an adapter would hand the guard: here, just the {@code Authorization} header. */
    record BearerRequest(List<String> authorization) implements GuardRequest {
        BearerRequest(String token) {
            this(List.of("Bearer " + token));
        }

        @Override
        public List<String> headers(String name) {
            return name.equalsIgnoreCase("Authorization") ? authorization : List.of();
        }

        @Override
        public List<String> queryParameters(String name) {
            return List.of();
        }

        @Override
        public List<String> cookies(String name) {
            return List.of();
        }

        @Override
        public byte[] body() {
            return null;
        }
    }

    @Setup
    public void setup(BenchmarkParams params) throws Exception {
        Fixture f = new Fixture(Algorithm.RS256);
        JwtVerifier verifier = JwtVerifier.builder().key(f.jwk).issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).build();
        switch (Contenders.nameOf(params.getBenchmark())) {
            case "cached" -> {
                guard = Guard.builder(verifier).build();
                hot = new BearerRequest(f.token);
                authenticated(hot);
            }
            case "miss" -> {
                guard = Guard.builder(verifier).cacheSize(1).build();
                JwtSigner signer = JwtSigner.builder(f.jwk).build();
                cold = new GuardRequest[POOL];
                for (int i = 0; i < POOL; i++) {
                    cold[i] = new BearerRequest(signer.sign(Claims.builder().issuer(Fixture.ISSUER)
                            .subject(Fixture.SUBJECT).audience(Fixture.AUDIENCE).expiresAt(f.expiresAt).issuedAt(f.issuedAt)
                            .jwtId("t" + i).claim("scope", Fixture.SCOPE).claim("tenant", Fixture.TENANT).build()));
                }
                authenticated(cold[0]);
                authenticated(cold[1]);
            }
            case "raw" -> raw = Contenders.checked("raw", f);
            default -> throw new IllegalArgumentException(params.getBenchmark());
        }
    }

    private void authenticated(GuardRequest r) {
        if (!(guard.authenticate(r) instanceof AuthResult.Authenticated)) {
            throw new IllegalStateException("the benchmark's token is refused: it would time a refusal");
        }
    }

    @Benchmark
    public Object authenticate_cached() {
        return guard.authenticate(hot);
    }

    @Benchmark
    public Object authenticate_miss() {
        GuardRequest r = cold[next];
        next = (next + 1) & (POOL - 1);
        return guard.authenticate(r);
    }

    @Benchmark
    public Object authenticate_raw() throws Exception {
        return raw.verify(null);
    }
}
