package dev.jot.bench;

import dev.jot.jwt.Algorithm;
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
 * PS256 sign and verify, {@code <op>_<library>}: Jot against the crypto floor only (PS256 is not in the peer comparison).
 * Each fork sets up only the library its benchmark names, so no other library's classes or JIT profiles
 * are in the way.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PS256Bench {
    private String token;
    private Contender contender;

    @Setup
    public void setup(BenchmarkParams params) throws Exception {
        Fixture f = new Fixture(Algorithm.PS256);
        token = f.token;
        contender = Contenders.checked(Contenders.nameOf(params.getBenchmark()), f);
    }

    @Benchmark
    public Object sign_raw() throws Exception {
        return contender.sign();
    }

    @Benchmark
    public Object verify_raw() throws Exception {
        return contender.verify(token);
    }

    @Benchmark
    public Object sign_jot() throws Exception {
        return contender.sign();
    }

    @Benchmark
    public Object verify_jot() throws Exception {
        return contender.verify(token);
    }
}
