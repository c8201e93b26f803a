package dev.jot.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What a setting holds: how its text (a flag, a {@code JOT_*} variable, a line of the config file) becomes a value,
 * which values are allowed, and how a value is written back (defaults in help and in the README). There is one
 * factory per kind of setting; {@link #where} narrows one.
 *
 * <p>Parsers and checks throw {@link Invalid} with the reason alone; {@link Setting} adds the setting's name and,
 * unless the setting is a secret, the value.
 *
 * @param label     the value's placeholder in help, e.g. {@code <DURATION>}
 * @param form      how the value is given on a command line
 * @param separator between the items of a {@link Form#LIST} value ({@code ","} or {@code " "}); null otherwise
 * @param parser    text (trimmed, never blank) to value; throws {@link Invalid}
 * @param check     the bounds of a value however it was made, parsed or set in code; throws {@link Invalid}
 * @param formatter value to text, for defaults in help and the README
 * @param allowed   the bounds as a sentence for help and the README, e.g. {@code Range: 10s to 24h.}; may be empty
 */
public record Type<T>(String label, Form form, String separator, Function<String, T> parser,
                      Consumer<? super T> check, Function<? super T, String> formatter, String allowed) {

    /** How a value is given on a command line. */
    public enum Form {
        /** One value: {@code --port 8080}. */
        VALUE,
        /** A switch: {@code --behind-proxy} alone means true, {@code --behind-proxy=false} is allowed too. */
        SWITCH,
        /** Several values: the flag repeated, or one value with its items separated. */
        LIST
    }

    /** A value that is not allowed; the message is the reason, e.g. {@code must be between 1 and 16}. */
    public static final class Invalid extends RuntimeException {
        private final String shown;

        /** A reason that does not repeat the value (say, because the value could hold a password). */
        public Invalid(String reason) {
            this(reason, null);
        }

        /** A reason followed by {@code , was <shown>} where the setting is not secret. */
        public Invalid(String reason, String shown) {
            super(reason, null, false, false);
            this.shown = shown;
        }

        /** The reason, with the offending value unless {@code secret}. */
        String reason(boolean secret) {
            return shown == null || secret ? getMessage() : getMessage() + ", was " + shown;
        }
    }

    public Type {
        Objects.requireNonNull(label);
        Objects.requireNonNull(form);
        Objects.requireNonNull(parser);
        Objects.requireNonNull(check);
        Objects.requireNonNull(formatter);
        Objects.requireNonNull(allowed);
        if ((form == Form.LIST) != (separator != null)) {
            throw new IllegalArgumentException("a separator is for lists, and every list has one");
        }
    }

    /** Parses trimmed, non-blank text and checks the value's bounds; throws {@link Invalid}. */
    public T parse(String text) {
        T value = parser.apply(text);
        check.accept(value);
        return value;
    }

    public String format(T value) {
        return formatter.apply(value);
    }

    /** The text of a flag given {@code values.size()} times: the last one, or for a list all of them, joined. */
    public String join(List<String> values) {
        return form == Form.LIST ? String.join(separator, values) : values.getLast();
    }

    /** This type with another placeholder in help, e.g. {@code <PORT>}. */
    public Type<T> label(String newLabel) {
        return new Type<>(newLabel, form, separator, parser, check, formatter, allowed);
    }

    /** This type narrowed to values that pass {@code ok}; others are refused with {@code reason}. */
    public Type<T> where(Predicate<? super T> ok, String reason) {
        Consumer<? super T> before = check;
        Consumer<T> narrowed = v -> {
            before.accept(v);
            if (!ok.test(v)) {
                throw new Invalid(reason);
            }
        };
        return new Type<>(label, form, separator, parser, narrowed, formatter, allowed);
    }

    // ---- the kinds ----

    /** Any text. */
    public static Type<String> text() {
        return new Type<>("<TEXT>", Form.VALUE, null, s -> s, v -> { }, s -> s, "");
    }

    /** An absolute http(s) URL without query or fragment, as an issuer must be (RFC 8414 §2). */
    public static Type<String> url() {
        return new Type<>("<URL>", Form.VALUE, null, s -> s, Type::checkUrl, s -> s, "");
    }

    /** A whole number from {@code min} to {@code max}. */
    public static Type<Integer> integer(int min, int max) {
        return integer(min, max, "");
    }

    /** A whole number from {@code min} to {@code max} of {@code unit} (e.g. {@code KiB}; shown in messages). */
    public static Type<Integer> integer(int min, int max, String unit) {
        String range = min + " and " + max + (unit.isEmpty() ? "" : " " + unit);
        return new Type<>("<N>", Form.VALUE, null, Type::parseInt, v -> {
            if (v < min || v > max) {
                throw new Invalid("must be between " + range, String.valueOf(v));
            }
        }, String::valueOf, "Range: " + min + " to " + max + (unit.isEmpty() ? "" : " " + unit) + ".");
    }

    /** A duration written as {@link Durations} reads it ({@code 90s}, {@code 15m}, {@code 1h}, {@code 1d}). */
    public static Type<Duration> duration(Duration min, Duration max) {
        String range = Durations.format(min) + " and " + Durations.format(max);
        return new Type<>("<DURATION>", Form.VALUE, null,
                s -> Durations.parse(s).orElseThrow(
                        () -> new Invalid("expected a duration like 90s, 15m, 1h or 1d", quoted(s))),
                v -> {
                    if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
                        throw new Invalid("must be between " + range, Durations.format(v));
                    }
                }, Durations::format, "Range: " + Durations.format(min) + " to " + Durations.format(max) + ".");
    }

    /** A file system path; relative ones are shown with {@code ./} so that they read as paths. */
    public static Type<Path> path() {
        return new Type<>("<PATH>", Form.VALUE, null, s -> {
            try {
                return Path.of(s);
            } catch (InvalidPathException e) {
                throw new Invalid("is not a valid path", quoted(s));
            }
        }, v -> { }, p -> p.isAbsolute() || p.startsWith(".") || p.startsWith("..") ? p.toString() : "./" + p, "");
    }

    /** One of {@code values}, each written as {@code name} gives it (exactly: case matters). */
    public static <T> Type<T> oneOf(List<T> values, Function<T, String> name) {
        List<T> choices = List.copyOf(values);
        String names = String.join(", ", choices.stream().map(name).toList());
        return new Type<>("<NAME>", Form.VALUE, null, s -> choices.stream().filter(c -> name.apply(c).equals(s))
                .findFirst().orElseThrow(() -> new Invalid("must be one of " + names, quoted(s))),
                v -> {
                    if (!choices.contains(v)) {
                        throw new Invalid("must be one of " + names);
                    }
                }, name::apply, "One of: " + names + ".");
    }

    /** A constant of {@code type}, written in lower case with {@code -} for {@code _}: {@code open}, {@code json}. */
    public static <E extends Enum<E>> Type<E> oneOf(Class<E> type) {
        return oneOf(List.of(type.getEnumConstants()), e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /** On or off: {@code true} or {@code false}; on a command line, the flag alone means true. */
    public static Type<Boolean> flag() {
        return new Type<>("true|false", Form.SWITCH, null, s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new Invalid("expected true or false", quoted(s));
        }, v -> { }, String::valueOf, "");
    }

    /**
     * Several values of {@code element}: separated by {@code separator} ({@code ","}, spaces around items allowed,
     * or {@code " "}, any run of white space) in a variable or the config file, or the flag repeated.
     */
    public static <E> Type<List<E>> list(Type<E> element, String separator) {
        if (!separator.equals(",") && !separator.equals(" ")) {
            throw new IllegalArgumentException("lists are separated by ',' or ' '");
        }
        Pattern split = Pattern.compile(separator.equals(",") ? "\\s*,\\s*" : "\\s+");
        String shown = separator.equals(",") ? ", " : " ";
        String several = separator.equals(",") ? "comma-separated" : "space-separated";
        return new Type<>(element.label(), Form.LIST, separator, s -> {
            List<E> items = new ArrayList<>();
            for (String item : split.split(s, -1)) {
                if (item.isEmpty()) {
                    throw new Invalid("has an empty item", quoted(s));
                }
                items.add(element.parser().apply(item));
            }
            return List.copyOf(items);
        }, v -> v.forEach(element.check()), v -> String.join(shown, v.stream().map(element::format).toList()),
                (element.allowed() + " Several: " + several + ", or the option repeated.").strip());
    }

    /**
     * Bytes written in base64url (base64 accepted too), from {@code minBytes} to {@code maxBytes} long
     * ({@link Integer#MAX_VALUE}: no upper bound). Values of this kind are keys: only their length is ever shown.
     */
    public static Type<byte[]> base64url(int minBytes, int maxBytes) {
        String length = minBytes == maxBytes ? minBytes + " bytes"
                : maxBytes == Integer.MAX_VALUE ? "at least " + minBytes + " bytes"
                : minBytes + " to " + maxBytes + " bytes";
        return new Type<>("<BASE64URL>", Form.VALUE, null, s -> {
            try {
                return Base64.getUrlDecoder().decode(s.replace('+', '-').replace('/', '_'));
            } catch (IllegalArgumentException e) {
                throw new Invalid("is not valid base64url");
            }
        }, v -> {
            if (v.length < minBytes || v.length > maxBytes) {
                throw new Invalid("must be " + length + ", base64url-encoded");
            }
        }, v -> "(" + v.length + " bytes)", capitalized(length) + ", base64url-encoded.");
    }

    // ---- helpers ----

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new Invalid("expected an integer", quoted(s));
        }
    }

    private static void checkUrl(String value) {
        try {
            URI u = new URI(value);
            if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null
                    || u.getQuery() != null || u.getFragment() != null) {
                throw new Invalid("must be an http(s) URL without query or fragment");
            }
        } catch (URISyntaxException e) {
            throw new Invalid("is not a valid URL");
        }
    }

    private static String quoted(String text) {
        return "'" + text + "'";
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    @Override
    public String toString() {
        return "Type[" + label + ", " + form + (separator == null ? "" : ", '" + separator + "'") + "]";
    }
}
