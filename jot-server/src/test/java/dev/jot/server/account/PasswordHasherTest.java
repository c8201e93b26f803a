package dev.jot.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.server.config.Argon2Params;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private static final Argon2Params SMALL = new Argon2Params(1024, 1, 1);

    @Test
    void defaultParametersProduceAnOwaspBaselinePhcStringThatVerifies() {
        PasswordHasher hasher = new PasswordHasher(Argon2Params.OWASP_BASELINE);
        String phc = hasher.hash("correct horse battery");
        assertThat(phc).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.verify("correct horse battery", phc)).isEqualTo(new PasswordHasher.Check(true, false));
        assertThat(hasher.verify("correct horse batterY", phc).matches()).isFalse();
    }

    @Test
    void samePasswordHashesDifferentlyEachTime() {
        PasswordHasher hasher = new PasswordHasher(SMALL);
        assertThat(hasher.hash("same password")).isNotEqualTo(hasher.hash("same password"));
    }

    @Test
    void hashWithOlderParametersMatchesButAsksForARehash() {
        String old = new PasswordHasher(SMALL).hash("upgrade me please");
        PasswordHasher stronger = new PasswordHasher(new Argon2Params(2048, 2, 1));
        assertThat(stronger.verify("upgrade me please", old)).isEqualTo(new PasswordHasher.Check(true, true));
        assertThat(stronger.verify("wrong password", old)).isEqualTo(new PasswordHasher.Check(false, false));
    }

    @Test
    void theUnmatchableHashCostsARealVerificationButNeverMatches() {
        PasswordHasher hasher = new PasswordHasher(SMALL);
        String dummy = hasher.unmatchableHash();
        assertThat(dummy).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
        assertThat(hasher.verify("", dummy).matches()).isFalse();
        assertThat(hasher.verify("anything", dummy).matches()).isFalse();
    }

    @Test
    void garbageStoredHashesNeverMatch() {
        PasswordHasher hasher = new PasswordHasher(SMALL);
        for (String bad : new String[] {"", "plain", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
                "$argon2id$v=19$m=1,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"}) {
            assertThat(hasher.verify("anything", bad).matches()).as(bad).isFalse();
        }
    }

    @Test
    void nonAsciiPasswordsAreHashedAsUtf8AndVerifyWithAFreshHasher() {
        PasswordHasher hasher = new PasswordHasher(SMALL);
        String phc = hasher.hash("pässwörd ✓");
        assertThat(new PasswordHasher(SMALL).verify("pässwörd ✓", phc).matches()).isTrue();
    }
}
