package dev.jot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @ParameterizedTest
    @CsvSource({
        "90s, PT1M30S",
        "15m, PT15M",
        "1h, PT1H",
        "7d, PT168H",
        "1s, PT1S",
        "999999999d, PT23999999976H"
    })
    void readsTheUnitsPeopleType(String text, Duration expected) {
        assertThat(converter.convert(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "15", "m", "-5m", "1.5h", "0s", "15M", "1w", " 15m", "15 m", "1h30m", "1234567890s"})
    void rejectsAnythingElse(String text) {
        assertThatThrownBy(() -> converter.convert(text)).isInstanceOf(TypeConversionException.class);
    }
}
