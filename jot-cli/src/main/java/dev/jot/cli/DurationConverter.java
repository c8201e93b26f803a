package dev.jot.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Token lifetimes as people type them: {@code 90s}, {@code 15m}, {@code 1h}, {@code 7d}. */
final class DurationConverter implements ITypeConverter<Duration> {

    // Nine digits keep every unit far from overflowing an Instant.
    private static final Pattern FORMAT = Pattern.compile("([0-9]{1,9})([smhd])");

    @Override
    public Duration convert(String value) {
        Matcher m = FORMAT.matcher(value);
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration like 90s, 15m, 1h or 7d");
        }
        long n = Long.parseLong(m.group(1));
        if (n == 0) {
            throw new TypeConversionException("a token lifetime must be positive");
        }
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
