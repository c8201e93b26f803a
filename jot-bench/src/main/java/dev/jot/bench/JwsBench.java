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
 * Sign and verify for one algorithm, named {@code <op>_<library>}; the concrete classes ({@code HS256Bench}, ...)
 * fix the algorithm and inherit the benchmarks of the libraries that support it (JMH names an inherited benchmark
 * after the concrete class). Each fork sets up only the library its benchmark names, so no other library's
 * classes or JIT profiles are in the way. This level: Jot against the crypto floor (raw JCA).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public abstract class JwsBench {
    private final Algorithm algorithm;
    protected String token;
    protected Contender contender;

    protected JwsBench(Algorithm algorithm) {
        this.algorithm = algorithm;
    }

    @Setup
    public void setup(BenchmarkParams params) throws Exception {
        Fixture f = new Fixture(algorithm);
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

    /** Adds the peers that implement every algorithm compared here (auth0 java-jwt has no EdDSA: see below). */
    public abstract static class Peers extends JwsBench {
        protected Peers(Algorithm algorithm) {
            super(algorithm);
        }

        @Benchmark
        public Object sign_nimbus() throws Exception {
            return contender.sign();
        }

        @Benchmark
        public Object verify_nimbus() throws Exception {
            return contender.verify(token);
        }

        @Benchmark
        public Object sign_jjwt() throws Exception {
            return contender.sign();
        }

        @Benchmark
        public Object verify_jjwt() throws Exception {
            return contender.verify(token);
        }

        @Benchmark
        public Object sign_jose4j() throws Exception {
            return contender.sign();
        }

        @Benchmark
        public Object verify_jose4j() throws Exception {
            return contender.verify(token);
        }

        @Benchmark
        public Object sign_vertx() throws Exception {
            return contender.sign();
        }

        @Benchmark
        public Object verify_vertx() throws Exception {
            return contender.verify(token);
        }
    }

    /** Every contender, auth0 java-jwt included. */
    public abstract static class Everyone extends Peers {
        protected Everyone(Algorithm algorithm) {
            super(algorithm);
        }

        @Benchmark
        public Object sign_auth0() throws Exception {
            return contender.sign();
        }

        @Benchmark
        public Object verify_auth0() throws Exception {
            return contender.verify(token);
        }
    }
}
