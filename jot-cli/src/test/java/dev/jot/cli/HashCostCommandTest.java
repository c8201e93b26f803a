package dev.jot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HashCostCommandTest {

    @Test
    void timesHashesWithTheGivenParametersAndDerivesTheLoginLimit() {
        Jot.Result r = Jot.run("hash-cost", "--memory-kib", "256", "--iterations", "1", "--duration", "1s");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.outLines()).hasSize(3);
        assertThat(r.outLines().get(0)).isEqualTo("Argon2id m=256 KiB, t=1, p=1 with libargon2 (native):");
        assertThat(r.outLines().get(1)).matches("[0-9]+\\.[0-9] ms per hash \\(median of [0-9]+, one at a time; "
                + "fastest [0-9.]+ ms, slowest [0-9.]+ ms\\)");
        double ms = Double.parseDouble(r.outLines().get(1).split(" ")[0]);
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(r.outLines().get(2)).matches("at most [0-9]+ logins/s on " + cores + " cores \\(cores / time per hash\\)");
        // cores ÷ the median, which is printed rounded to 0.1 ms
        double limit = Double.parseDouble(r.outLines().get(2).split(" ")[2]);
        assertThat(limit).isBetween(cores * 1000 / (ms + 0.05) - 0.5, cores * 1000 / Math.max(ms - 0.05, 0.01) + 0.5);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --memory-kib|4|--argon2-memory-kib, --memory-kib (JOT_ARGON2_MEMORY_KIB): must be between 8 and 4194304 KiB, was 4
            --iterations|0|--argon2-iterations, --iterations (JOT_ARGON2_ITERATIONS): must be between 1 and 100, was 0
            --parallelism|17|--argon2-parallelism, --parallelism (JOT_ARGON2_PARALLELISM): must be between 1 and 16, was 17
            --argon2-parallelism|0|--argon2-parallelism, --parallelism (JOT_ARGON2_PARALLELISM): must be between 1 and 16, was 0
            --iterations|two|JOT_ARGON2_ITERATIONS
            --duration|0s|a token lifetime must be positive
            """)
    void badParametersAreUsageErrors(String option, String value, String message) {
        Jot.Result r = Jot.run("hash-cost", option, value);

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(message);
    }
}
