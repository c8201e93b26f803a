package dev.jot.cli;

import dev.jot.server.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Token lifetimes as people type them: {@code 90s}, {@code 15m}, {@code 1h}, {@code 7d} (the settings' format). */
final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        Duration d = Durations.parse(value).orElseThrow(
                () -> new TypeConversionException("'" + value + "' is not a duration like 90s, 15m, 1h or 7d"));
        if (d.isZero()) {
            throw new TypeConversionException("a token lifetime must be positive");
        }
        return d;
    }
}
