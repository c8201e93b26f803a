package dev.jot.examples.tutorial;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code GET /root?number=&n=}: the real {@code n}-th root of {@code number}. Every input that has no such root, or
 * is not a number at all, is a {@link BadInput} with a stable code — never an exception that would become a 500.
 *
 * <p>{@code number} is a decimal number as JSON writes them ({@code -2.5}, {@code 1e3}; no {@code NaN},
 * {@code Infinity}, hexadecimal or digit separators), at most {@value #MAX_NUMBER_CHARS} characters and within the
 * range of a double. {@code n} is a whole number from {@code -}{@value #MAX_DEGREE} to {@value #MAX_DEGREE}, not 0;
 * a negative {@code n} is the reciprocal of the root ({@code 4}, {@code -2} → {@code 0.5}).
 */
final class NthRoot {

    static final int MAX_NUMBER_CHARS = 64;
    static final int MAX_DEGREE = 1000;

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    /** Integers up to this are exact in a double: a root that is one is answered exactly (27, 3 → 3, not 3.0000000000000004). */
    private static final double EXACT = 0x1p53;

    /** Why {@code /root} refused its input: the problem's {@code code} and a fixed {@code detail}. */
    enum Problem {
        PARAMETER_MISSING("parameter_missing", "number and n are both required"),
        PARAMETER_REPEATED("parameter_repeated", "number and n are each given once"),
        NOT_A_NUMBER("not_a_number", "number must be a finite decimal number, such as 27 or -2.5"),
        NOT_AN_INTEGER("not_an_integer", "n must be a whole number, such as 3"),
        OUT_OF_RANGE("out_of_range", "number must have at most " + MAX_NUMBER_CHARS + " characters and fit a double, "
                + "n must be within -" + MAX_DEGREE + " and " + MAX_DEGREE + ", and the root must be finite"),
        ZERO_ROOT("zero_root", "n must not be 0: there is no 0th root"),
        EVEN_ROOT_OF_NEGATIVE("even_root_of_negative", "a negative number has no real root of even degree"),
        NO_ROOT_OF_ZERO("undefined_root", "0 has no root of negative degree (it would divide by zero)");

        final String code;
        final String detail;

        Problem(String code, String detail) {
            this.code = code;
            this.detail = detail;
        }
    }

    /** The input is refused for {@code problem}. */
    static final class BadInput extends RuntimeException {
        final Problem problem;

        BadInput(Problem problem) {
            super(problem.code, null, false, false);
            this.problem = problem;
        }
    }

    /** The answer: {@code root} is the real {@code n}-th root of {@code number}. */
    record Answer(double number, int n, double root) {
    }

    private NthRoot() {
    }

    /** The root for the query's values of {@code number} and {@code n} (each as a list: a parameter may repeat). */
    static Answer of(List<String> numbers, List<String> degrees) {
        String numberText = single(numbers);
        String degreeText = single(degrees);
        return compute(parseNumber(numberText), parseDegree(degreeText));
    }

    static Answer compute(double x, int n) {
        if (n == 0) {
            throw new BadInput(Problem.ZERO_ROOT);
        }
        if (x < 0 && n % 2 == 0) {
            throw new BadInput(Problem.EVEN_ROOT_OF_NEGATIVE);
        }
        if (x == 0 && n < 0) {
            throw new BadInput(Problem.NO_ROOT_OF_ZERO);
        }
        double magnitude = root(Math.abs(x), Math.abs(n));
        double r = Math.copySign(n > 0 ? magnitude : 1 / magnitude, x) + 0.0; // + 0.0: no "-0.0" in the answer
        if (!Double.isFinite(r)) {
            throw new BadInput(Problem.OUT_OF_RANGE); // e.g. the reciprocal of a root too close to 0
        }
        return new Answer(x + 0.0, n, r);
    }

    /** The positive {@code n}-th root of {@code a >= 0}, exact when it is a whole number. */
    private static double root(double a, int n) {
        double r = switch (n) {
            case 1 -> a;
            case 2 -> Math.sqrt(a);
            case 3 -> Math.cbrt(a);
            default -> Math.pow(a, 1.0 / n);
        };
        double whole = Math.rint(r);
        return whole != r && whole > 0 && power(whole, n) == a ? whole : r;
    }

    /** {@code b^n} when it is an integer exact in a double, else -1. */
    private static double power(double b, int n) {
        double p = 1;
        for (int i = 0; i < n; i++) {
            p *= b;
            if (p > EXACT) {
                return -1;
            }
        }
        return p;
    }

    private static String single(List<String> values) {
        if (values.isEmpty() || values.get(0).isEmpty()) {
            throw new BadInput(values.size() > 1 ? Problem.PARAMETER_REPEATED : Problem.PARAMETER_MISSING);
        }
        if (values.size() > 1) {
            throw new BadInput(Problem.PARAMETER_REPEATED);
        }
        return values.get(0);
    }

    private static double parseNumber(String s) {
        if (s.length() > MAX_NUMBER_CHARS) {
            throw new BadInput(Problem.OUT_OF_RANGE); // judged before any parsing: a megabyte of digits costs nothing
        }
        if (!DECIMAL.matcher(s).matches()) {
            throw new BadInput(Problem.NOT_A_NUMBER);
        }
        double x = Double.parseDouble(s);
        if (Double.isInfinite(x)) {
            throw new BadInput(Problem.OUT_OF_RANGE); // 1e999
        }
        return x;
    }

    private static int parseDegree(String s) {
        if (s.length() > 12) {
            throw new BadInput(INTEGER.matcher(s).matches() ? Problem.OUT_OF_RANGE : Problem.NOT_AN_INTEGER);
        }
        if (!INTEGER.matcher(s).matches()) {
            throw new BadInput(Problem.NOT_AN_INTEGER);
        }
        long n = Long.parseLong(s);
        if (Math.abs(n) > MAX_DEGREE) {
            throw new BadInput(Problem.OUT_OF_RANGE);
        }
        return (int) n;
    }
}
