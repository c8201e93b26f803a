package dev.jot.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UsernamesTest {

    @ParameterizedTest(name = "''{0}'' is shown as ''{1}'' and unique as ''{2}''")
    @CsvSource(delimiter = '|', value = {
            "Ada|Ada|ada", "'  ada  '|ada|ada", "ＡＤＡ|ADA|ada", "josé.müller|josé.müller|josé.müller",
            "user_name-1|user_name-1|user_name-1", "Ελένη|Ελένη|ελένη"})
    void usernamesAreTrimmedNfkcNormalisedAndCaseFolded(String raw, String display, String normalized)
            throws Usernames.InvalidUsername {
        assertThat(Usernames.parse(raw)).isEqualTo(new Usernames.Username(display, normalized));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "a b c", "semi;colon", "x'--", "tab\there", "nul\u0000byte", "emoji😀x", "<script>"})
    void usernamesOutsideTheDocumentedSetAreRefused(String raw) {
        assertThatThrownBy(() -> Usernames.parse(raw)).isInstanceOf(Usernames.InvalidUsername.class);
    }

    @org.junit.jupiter.api.Test
    void lengthIsCountedInCharactersAfterNormalisation() throws Usernames.InvalidUsername {
        assertThat(Usernames.parse("é".repeat(64)).display()).hasSize(64);
        assertThatThrownBy(() -> Usernames.parse("a".repeat(65))).isInstanceOf(Usernames.InvalidUsername.class);
    }
}
