package dev.jot.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Jot's JSON reader against the rules JOSE needs, and against Jackson as a reference for what JSON means. */
class JsonStrictnessTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "[]", "\"s\"", "1", "null",                       // not an object
        "{", "{\"a\":1", "{\"a\":1,}", "{,}", "{\"a\" 1}", "{a:1}",  // broken structure
        "{'a':1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":-}", "{\"a\":+1}", "{\"a\":1e}",
        "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":True}",
        "{\"a\":1}x", "{\"a\":1}{}", "{\"a\":1} /**/", "{/*c*/\"a\":1}",
        "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"unterminated}",
        "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1,\"b\":1}}",           // duplicate names
        "\u00a0{}", "{\u000b}"                                       // only JSON whitespace is whitespace
    })
    void invalidJsonIsMalformed(String json) {
        assertMalformed(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void controlCharactersMustBeEscapedInStrings() {
        assertMalformed("{\"a\":\"line\nbreak\"}".getBytes(StandardCharsets.UTF_8));
        assertMalformed("{\"a\":\"nul\u0000\"}".getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"C0AF", "E08080", "EDA080", "F4908080", "F8888080", "80", "C3", "E282"})
    void invalidUtf8IsMalformed(String hex) {
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        byte[] json = new byte[bad.length + 8];
        System.arraycopy("{\"a\":\"".getBytes(StandardCharsets.US_ASCII), 0, json, 0, 6);
        System.arraycopy(bad, 0, json, 6, bad.length);
        json[bad.length + 6] = '"';
        json[bad.length + 7] = '}';
        assertMalformed(json);
    }

    @Test
    void aByteOrderMarkIsRefused() {
        byte[] json = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};
        assertMalformed(json);
    }

    @Test
    void nestingIsLimitedWithoutRecursingIntoHostileDepth() {
        String deep = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertMalformed(deep.getBytes(StandardCharsets.US_ASCII));
        String sixteen = "{\"a\":".repeat(16) + "1" + "}".repeat(16);
        assertThat(Json.parseObject(sixteen.getBytes(StandardCharsets.US_ASCII), 16)).containsKey("a");
        String seventeen = "{\"a\":".repeat(17) + "1" + "}".repeat(17);
        assertMalformed(seventeen.getBytes(StandardCharsets.US_ASCII));
        String arrays = "{\"a\":" + "[".repeat(16) + "]".repeat(16) + "}";
        assertMalformed(arrays.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void valuesHaveThePlainJavaTypesTheClaimsCodeExpects() {
        Map<String, Object> m = Json.parseObject(
                "{\"i\":-42,\"big\":123456789012345678901234567890,\"d\":1.5e3,\"t\":true,\"f\":false,\"n\":null,"
                + "\"s\":\"caf\\u00e9 \u2603 \\ud83d\\ude00\",\"l\":[1,\"x\"],\"o\":{}}");
        assertThat(m.get("i")).isEqualTo(-42L);
        assertThat(m.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(m.get("d")).isEqualTo(new BigDecimal("1.5e3"));
        assertThat(m.get("t")).isEqualTo(true);
        assertThat(m.get("f")).isEqualTo(false);
        assertThat(m).containsEntry("n", null);
        assertThat(m.get("s")).isEqualTo("café ☃ 😀");
        assertThat(m.get("l")).isEqualTo(List.of(1L, "x"));
        assertThat(m.get("o")).isEqualTo(Map.of());
        assertThat(m.keySet()).containsExactly("i", "big", "d", "t", "f", "n", "s", "l", "o");
    }

    @Property(tries = 300)
    void writingThenReadingGivesBackTheSameValueAndJacksonAgrees(@ForAll("objects") Map<String, Object> value)
            throws Exception {
        byte[] json = Json.writeBytes(value);
        assertThat(Json.parseObject(json, 64)).isEqualTo(value);
        assertThat(JACKSON.readTree(json)).isEqualTo(JACKSON.readTree(JACKSON.writeValueAsBytes(value)));
        assertThat(Json.parseObject(Json.writePretty(value))).isEqualTo(value);
    }

    @Provide
    Arbitrary<Map<String, Object>> objects() {
        Arbitrary<Object> scalars = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(10).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.of(true, false).map(b -> (Object) b));
        Arbitrary<Object> lists = scalars.list().ofMaxSize(4).map(l -> (Object) l);
        Arbitrary<Object> values = Arbitraries.oneOf(scalars, lists,
                Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(5), scalars).ofMaxSize(3).map(m -> (Object) m));
        return Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), values).ofMaxSize(6);
    }

    private static void assertMalformed(byte[] json) {
        assertThatThrownBy(() -> Json.parseObject(json, 16))
                .isInstanceOfSatisfying(JwtException.class,
                        e -> assertThat(e.code()).isEqualTo(JwtException.Code.MALFORMED));
    }

    /**
     * Found by fuzzing (JoseFuzzTest, input finding-exponent-beyond-int): an exponent beyond an int made BigDecimal
     * throw NumberFormatException out of the parser instead of a MALFORMED JwtException. Its neighbour was worse:
     * {@code "exp":1e-50000000} (19 bytes) parsed, and Claims' NumericDate conversion then spent 16 s (measured)
     * expanding 10^50000000 in BigDecimal.setScale.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"a\":1e10000000021530}", "{\"a\":-2.5E-99999999999}", "{\"exp\":1e-999999999}",
            "{\"exp\":1e999999999}", "{\"exp\":1e-50000000}", "{\"a\":1e1001}"})
    void aNumberWithAnExponentOutOfRangeIsMalformedAtOnce(String json) {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Json.parseObject(json)).isInstanceOfSatisfying(JwtException.class,
                e -> assertThat(e.code()).isEqualTo(JwtException.Code.MALFORMED));
        // refused before any arithmetic: microseconds; 1 s is the margin of a loaded machine
        assertThat(System.nanoTime() - t0).isLessThan(1_000_000_000L);
    }

    @Test
    void numbersWithLargeButSaneExponentsStillParse() {
        assertThat(Json.parseObject("{\"a\":1e300,\"b\":1.5e-300}")).containsEntry("a", new BigDecimal("1e300"));
    }
}
