package dev.jot.bench;

import dev.jot.guard.AuthResult;
import dev.jot.guard.Guard;
import dev.jot.guard.GuardRequest;
import dev.jot.guard.RateLimits;
import dev.jot.guard.usage.UsageMeter;
import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Claims;
import dev.jot.jwt.JwtSigner;
import dev.jot.jwt.JwtVerifier;
import java.util.Map;
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
 * What usage metering and rate limits add to jot-guard's request path, on a cached RS256 token (the common case):
 * {@code metered_off} is {@code Guard.authenticate} alone; {@code metered_on} adds what an adapter does once the
 * answer is known, {@code Guard.record} (a count in the meter's {@code LongAdder}s); {@code metered_limited} adds
 * the token bucket of the token's {@code jot_limits} as well (and builds the RateLimit fields). One guard and one
 * meter shared by every thread ({@code -t 2} shows contention), as in a server.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class UsageBench {

    private Guard guard;
    private GuardRequest request;
    private UsageMeter meter;

    @Setup
    public void setup(BenchmarkParams params) {
        Fixture f = new Fixture(Algorithm.RS256);
        JwtVerifier verifier = JwtVerifier.builder().key(f.jwk).issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).build();
        meter = new UsageMeter();
        String token = JwtSigner.builder(f.jwk).build().sign(Claims.builder().issuer(Fixture.ISSUER)
                .subject(Fixture.SUBJECT).audience(Fixture.AUDIENCE).expiresAt(f.expiresAt).issuedAt(f.issuedAt)
                .claim("scope", Fixture.SCOPE).claim("client_id", "web")
                .claim("jot_limits", Map.of("minute", (long) Integer.MAX_VALUE, "day", 100_000_000L)).build());
        request = new GuardBench.BearerRequest(token);
        guard = switch (Contenders.nameOf(params.getBenchmark())) {
            case "off" -> Guard.builder(verifier).build();
            case "on" -> Guard.builder(verifier).metering(meter).build();
            case "limited" -> Guard.builder(verifier).metering(meter).rateLimits(RateLimits.fromTokens()).build();
            default -> throw new IllegalArgumentException(params.getBenchmark());
        };
        if (!(guard.authenticate(request) instanceof AuthResult.Authenticated)) {
            throw new IllegalStateException("the benchmark's token is refused: it would time a refusal");
        }
    }

    @Benchmark
    public Object metered_off() {
        return guard.authenticate(request);
    }

    @Benchmark
    public Object metered_on() {
        AuthResult r = guard.authenticate(request);
        guard.record(r, "/private", 200);
        return r;
    }

    @Benchmark
    public Object metered_limited() {
        AuthResult r = guard.authenticate(request);
        guard.record(r, "/private", 200);
        return r;
    }
}
