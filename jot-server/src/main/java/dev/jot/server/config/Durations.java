package dev.jot.server.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations people write in configuration: {@code 90s}, {@code 15m}, {@code 1h}, {@code 2d}. */
public final class Durations {
    // Nine digits keep every unit far from overflowing an Instant.
    private static final Pattern FORMAT = Pattern.compile("([0-9]{1,9})([smhd])");

    private Durations() {
    }

    /** The duration {@code text} writes, exactly (no spaces, no sign); empty when it is not one. */
    public static Optional<Duration> parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        });
    }

    /** {@link #parse(String)} of the trimmed text, naming {@code option} when it is not a duration. */
    public static Duration parse(String option, String text) {
        return parse(text.trim()).orElseThrow(() -> new ConfigException(option,
                "expected a duration like 90s, 15m, 1h or 1d, was '" + text + "'"));
    }

    /** The shortest exact form: {@code 15m} rather than {@code 900s}. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        if (s == 0) {
            return "0s";
        }
        if (s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
