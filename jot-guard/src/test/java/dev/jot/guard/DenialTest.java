package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jot.guard.Denylist.Denial;
import dev.jot.guard.Denylist.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The data of a {@code deny} event: {kind, value, until} and a cut-off for sub and client; anything else is malformed. */
class DenialTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"kind\":\"jti\",\"value\":\"j1\",\"until\":1900000000}|JTI|j1|1900000000|",
            "{\"kind\":\"sid\",\"value\":\"s1\",\"until\":1}|SID|s1|1|",
            "{\"until\":5,\"value\":\"u1\",\"kind\":\"sub\",\"reason\":\"logout\"}|SUB|u1|5|",
            "{\"kind\":\"jti\",\"value\":\"j1\",\"until\":99999999999999999999999}|JTI|j1|9223372036854775|",
            "{\"kind\":\"sub\",\"value\":\"u1\",\"until\":90,\"issued_before\":60}|SUB|u1|90|60",
            "{\"kind\":\"jti\",\"value\":\"j1\",\"until\":90,\"issued_before\":60}|JTI|j1|90|",
            "{\"kind\":\"client\",\"value\":\"key_1\",\"until\":90,\"issued_before\":60}|CLIENT|key_1|90|60",
            "{\"kind\":\"client\",\"value\":\"key_1\",\"until\":90}|CLIENT|key_1|90|"})
    void aDenialIsParsed(String data, Kind kind, String value, long until, Long issuedBefore) {
        assertThat(Denial.parse(data)).isEqualTo(new Denial(kind, value, until,
                issuedBefore == null ? Denial.FOREVER : issuedBefore));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "{}", "[]", "not json", "{\"kind\":\"iss\",\"value\":\"x\",\"until\":1}",
            "{\"kind\":\"JTI\",\"value\":\"x\",\"until\":1}", "{\"kind\":\"jti\",\"value\":\"\",\"until\":1}",
            "{\"kind\":\"jti\",\"value\":7,\"until\":1}", "{\"kind\":\"jti\",\"value\":\"x\",\"until\":\"1\"}",
            "{\"kind\":\"jti\",\"value\":\"x\",\"until\":1.5}", "{\"kind\":\"jti\",\"value\":\"x\"}",
            "{\"kind\":\"jti\",\"kind\":\"sub\",\"value\":\"x\",\"until\":1}",
            "{\"kind\":\"sub\",\"value\":\"x\",\"until\":1,\"issued_before\":\"0\"}"})
    void anythingElseIsMalformed(String data) {
        assertThatThrownBy(() -> Denial.parse(data)).isInstanceOf(IllegalArgumentException.class);
    }
}
