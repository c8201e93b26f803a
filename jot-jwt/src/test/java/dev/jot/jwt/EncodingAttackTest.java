package dev.jot.jwt;

import static dev.jot.jwt.Forge.CLAIMS;
import static dev.jot.jwt.Forge.CLOCK;
import static dev.jot.jwt.Forge.NOW_S;
import static dev.jot.jwt.Forge.assertCode;
import static dev.jot.jwt.Forge.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.jwt.JwtException.Code;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Attacks on the encoding layers: duplicate JSON members, deep nesting, huge tokens, non-canonical base64url. */
class EncodingAttackTest {

    private static final String HS256 = "{\"alg\":\"HS256\",\"kid\":\"k1\"}";
    private static final long EXP = NOW_S + 300;

    // ---- duplicate member names ----

    @ParameterizedTest(name = "header {0} is malformed")
    @ValueSource(strings = {
        "{\"alg\":\"HS256\",\"kid\":\"k1\",\"alg\":\"none\"}",
        "{\"alg\":\"none\",\"kid\":\"k1\",\"alg\":\"HS256\"}",
        "{\"alg\":\"HS256\",\"alg\":\"HS256\",\"kid\":\"k1\"}",
        "{\"alg\":\"HS256\",\"kid\":\"k1\",\"kid\":\"k2\"}",
        "{\"alg\":\"HS256\",\"kid\":\"k1\",\"typ\":\"JWT\",\"typ\":\"at+jwt\"}",
        "{\"alg\":\"HS256\",\"kid\":\"k1\",\"x\":{\"a\":1,\"a\":2}}",
        "{\"alg\":\"HS256\",\"kid\":\"k1\",\"al\\u0067\":\"none\"}"
    })
    void aHeaderWithADuplicateMemberNameIsMalformed(String header) {
        String token = Forge.signed(Algorithm.HS256, header, CLAIMS);
        assertCode(() -> Forge.verifier(Algorithm.HS256).verify(token), Code.MALFORMED);
    }

    @ParameterizedTest(name = "claims {0} are malformed")
    @MethodSource("duplicateClaims")
    void claimsWithADuplicateMemberNameAreMalformed(String claims) {
        String token = Forge.signed(Algorithm.HS256, HS256, claims);
        assertCode(() -> Forge.verifier(Algorithm.HS256).verify(token), Code.MALFORMED);
    }

    static Stream<String> duplicateClaims() {
        return Stream.of(
                "{\"sub\":\"42\",\"sub\":\"admin\",\"exp\":" + EXP + "}",
                "{\"sub\":\"42\",\"exp\":" + (NOW_S - 3600) + ",\"exp\":" + EXP + "}",
                "{\"sub\":\"42\",\"exp\":" + EXP + ",\"aud\":\"a\",\"aud\":\"b\"}",
                "{\"sub\":\"42\",\"exp\":" + EXP + ",\"role\":\"user\",\"role\":\"admin\"}",
                "{\"sub\":\"42\",\"exp\":" + EXP + ",\"ctx\":{\"admin\":false,\"admin\":true}}",
                "{\"sub\":\"42\",\"exp\":" + EXP + ",\"list\":[{\"a\":1,\"a\":1}]}",
                "{\"sub\":\"42\",\"exp\":" + EXP + ",\"s\\u0075b\":\"admin\"}");
    }

    @Test
    void theSameClaimsWithoutTheDuplicateVerify() {
        String token = Forge.signed(Algorithm.HS256, HS256, "{\"sub\":\"42\",\"exp\":" + EXP + ",\"ctx\":{\"admin\":false}}");
        assertThat(Forge.verifier(Algorithm.HS256).verify(token).claims().subject()).contains("42");
    }

    // ---- JSON that only a lenient parser would take ----

    @ParameterizedTest(name = "header {0} is malformed")
    @ValueSource(strings = {
        "[\"alg\",\"HS256\"]", "\"HS256\"", "null", "",
        "{\"alg\":\"HS256\",\"kid\":\"k1\"}{\"alg\":\"none\"}",
        "{\"alg\":\"HS256\",\"kid\":\"k1\"}x", "{\"alg\":\"HS256\",\"kid\":\"k1\",}",
        "{'alg':'HS256','kid':'k1'}", "{alg:\"HS256\",kid:\"k1\"}", "{\"alg\":\"HS256\",/*c*/\"kid\":\"k1\"}",
        "{\"alg\":\"HS256\",\"kid\":\"k1\",\"n\":NaN}", "{\"alg\":\"HS256\",\"kid\":\"k1\",\"n\":01}",
        "{\"alg\":\"HS256\",\"kid\":\"k1\",\"s\":\"a\u0001b\"}", "{\"alg\":\"HS256\",\"kid\":\"k1\""
    })
    void aHeaderThatIsNotOneStrictJsonObjectIsMalformed(String header) {
        // Not listed: surrounding whitespace and a leading BOM, which RFC 8259 (§2, §8.1) lets a parser accept.
        String token = Forge.signed(Algorithm.HS256, header, CLAIMS);
        assertCode(() -> Forge.verifier(Algorithm.HS256).verify(token), Code.MALFORMED);
    }

    @Test
    void aHeaderThatIsNotUtf8IsMalformed() {
        byte[] header = "{\"alg\":\"HS256\",\"kid\":\"k1\",\"x\":\"\u00ff\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        String input = Forge.b64(header) + "." + Forge.b64(CLAIMS);
        String token = input + "." + Forge.b64(Forge.hmac("HmacSHA256", Forge.secret(Algorithm.HS256), input));
        assertCode(() -> Forge.verifier(Algorithm.HS256).verify(token), Code.MALFORMED);
    }

    // ---- nesting depth 10,000 ----

    static Stream<Arguments> deepDocuments() {
        String arrays = "[".repeat(10_000) + "]".repeat(10_000);
        String objects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        String unclosed = "[".repeat(10_000);
        String plain = "{\"sub\":\"42\",\"exp\":" + EXP;
        List<Arguments> cases = new ArrayList<>();
        for (var nested : List.of(arrays, objects, unclosed)) {
            String what = nested == arrays ? "arrays" : nested == objects ? "objects" : "unclosed arrays";
            cases.add(Arguments.of("header with " + what, "{\"alg\":\"HS256\",\"kid\":\"k1\",\"x\":" + nested + "}", CLAIMS));
            cases.add(Arguments.of("claims with " + what, HS256, plain + ",\"x\":" + nested + "}"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} nested 10,000 deep is malformed")
    @MethodSource("deepDocuments")
    void jsonNested10000DeepIsMalformedWithoutAStackOverflow(String what, String header, String claims) {
        String token = Forge.signed(Algorithm.HS256, header, claims);
        Jwk key = Forge.verifyKey(Algorithm.HS256);
        List<JwtVerifier> verifiers = List.of(
                Forge.verifier(Algorithm.HS256), // stopped by the 8 KiB size limit
                JwtVerifier.builder().key(key).clock(CLOCK).maxTokenLength(1 << 20).build(), // by depth 16
                JwtVerifier.builder().key(key).clock(CLOCK).maxTokenLength(1 << 20)
                        .maxJsonDepth(Integer.MAX_VALUE).build()); // by the parser's own cap
        for (JwtVerifier verifier : verifiers) {
            // failure() fails the test on any other throwable, StackOverflowError included.
            assertThat(failure(() -> verifier.verify(token)).code()).isEqualTo(Code.MALFORMED);
        }
        if (what.startsWith("header")) {
            assertThat(failure(() -> Unverified.decode(token)).code()).isEqualTo(Code.MALFORMED);
        } else {
            assertThat(Unverified.decode(token).claims()).as("unparseable claims are reported as null").isNull();
        }
    }

    @Test
    void jsonAtTheDefaultDepthLimitStillVerifies() {
        // Depth 16 in all: the claims object plus 15 nested arrays.
        String claims = "{\"sub\":\"42\",\"exp\":" + EXP + ",\"x\":" + "[".repeat(15) + "]".repeat(15) + "}";
        String token = Forge.signed(Algorithm.HS256, HS256, claims);
        assertThat(Forge.verifier(Algorithm.HS256).verify(token).claims().has("x")).isTrue();
        String deeper = "{\"sub\":\"42\",\"exp\":" + EXP + ",\"x\":" + "[".repeat(16) + "]".repeat(16) + "}";
        String tooDeep = Forge.signed(Algorithm.HS256, HS256, deeper);
        assertCode(() -> Forge.verifier(Algorithm.HS256).verify(tooDeep), Code.MALFORMED);
    }

    // ---- 10 MB token ----

    static Stream<Arguments> hugeTokens() {
        int size = 10 * 1024 * 1024;
        String bigClaims = "{\"sub\":\"42\",\"exp\":" + EXP + ",\"pad\":\"" + "x".repeat(size) + "\"}";
        return Stream.of(
                Arguments.of("a genuinely signed token", Forge.signed(Algorithm.HS256, HS256, bigClaims)),
                Arguments.of("one long run of base64url", "A".repeat(size)),
                Arguments.of("three parts of junk", "A".repeat(size / 3) + "." + "A".repeat(size / 3) + "." + "A".repeat(size / 3)),
                Arguments.of("only dots", ".".repeat(size)));
    }

    @ParameterizedTest(name = "10 MB: {0} is malformed within a second")
    @MethodSource("hugeTokens")
    void aTenMegabyteTokenIsMalformedQuickly(String what, String token) {
        JwtVerifier verifier = Forge.verifier(Algorithm.HS256);
        assertThat(token.length()).isGreaterThanOrEqualTo(10 * 1024 * 1024 - 2);
        long start = System.nanoTime();
        assertCode(() -> verifier.verify(token), Code.MALFORMED);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).as("milliseconds to refuse").isLessThan(1_000);
    }

    // ---- non-canonical base64url ----

    /**
     * A genuinely signed HS256 token whose three parts all have a partial last quantum (so trailing bits exist)
     * and all contain both '-' and '_' (so the standard alphabet's '+' and '/' can be substituted).
     */
    static String canonicalToken() {
        for (int nonce = 0; nonce < 10_000; nonce++) {
            // Three '~' (0x7E) and three '?' (0x3F) in a row: one of each ends a 3-byte group, encoding as '-' / '_'.
            String header = "{\"alg\":\"HS256\",\"kid\":\"k1\",\"n\":\"~~~???" + nonce + "\"}";
            String claims = "{\"sub\":\"42\",\"exp\":" + EXP + ",\"d\":\"~~~???" + "x".repeat(nonce % 3) + "\"}";
            String token = Forge.signed(Algorithm.HS256, header, claims);
            String[] parts = token.split("\\.");
            if (Stream.of(parts).allMatch(p -> p.length() % 4 != 0 && p.contains("-") && p.contains("_"))) {
                return token;
            }
        }
        throw new IllegalStateException("no suitable token found");
    }

    static Stream<Arguments> nonCanonicalEncodings() {
        String token = canonicalToken();
        List<Arguments> cases = new ArrayList<>();
        String[] names = {"header", "payload", "signature"};
        for (int part = 0; part < 3; part++) {
            String p = token.split("\\.")[part];
            int pad = (4 - p.length() % 4) % 4;
            cases.add(Arguments.of(names[part], "'=' padding", replacePart(token, part, p + "=".repeat(pad))));
            cases.add(Arguments.of(names[part], "one '='", replacePart(token, part, p + "=")));
            cases.add(Arguments.of(names[part], "'+' for '-'", replacePart(token, part, p.replaceFirst("-", "+"))));
            cases.add(Arguments.of(names[part], "'/' for '_'", replacePart(token, part, p.replaceFirst("_", "/"))));
            cases.add(Arguments.of(names[part], "standard alphabet", replacePart(token, part, p.replace('-', '+').replace('_', '/'))));
            for (String ws : List.of(" ", "\t", "\n", "\r\n")) {
                String shown = ws.replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n");
                cases.add(Arguments.of(names[part], "'" + shown + "' inside", replacePart(token, part,
                        p.substring(0, 4) + ws + p.substring(4))));
                cases.add(Arguments.of(names[part], "'" + shown + "' at the end", replacePart(token, part, p + ws)));
                cases.add(Arguments.of(names[part], "'" + shown + "' at the start", replacePart(token, part, ws + p)));
            }
            cases.add(Arguments.of(names[part], "non-zero trailing bits", replacePart(token, part, withTrailingBit(p))));
            cases.add(Arguments.of(names[part], "a length of 4k+1", replacePart(token, part, p + "AAAAA".substring(0, 5 - p.length() % 4))));
            cases.add(Arguments.of(names[part], "a non-ASCII look-alike", replacePart(token, part, "\u0391" + p.substring(1))));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1} is malformed")
    @MethodSource("nonCanonicalEncodings")
    void aNonCanonicalBase64urlPartIsMalformed(String part, String what, String token) {
        assertCode(() -> Forge.verifier(Algorithm.HS256).verify(token), Code.MALFORMED);
    }

    @Test
    void theCanonicalTokenTheMutationsStartFromVerifies() {
        String token = canonicalToken();
        assertThat(Forge.verifier(Algorithm.HS256).verify(token).claims().subject()).contains("42");
    }

    @Test
    void aTrailingBitVariantDecodesToTheSameBytesInALenientDecoder() {
        // Shows the trailing-bit cases are real aliases (same bytes), not just garbage.
        String p = canonicalToken().split("\\.")[2];
        assertThat(java.util.Base64.getUrlDecoder().decode(withTrailingBit(p))).isEqualTo(Forge.unb64(p));
    }

    @ParameterizedTest(name = "token {0} is malformed")
    @ValueSource(strings = {"", ".", "..", "...", "a.b", "a.b.c.d", ".eyJ9.AAAA", "eyJ9.eyJ9.", " ", "\n"})
    void aTokenWithoutExactlyThreeNonEmptyPartsIsMalformed(String token) {
        assertCode(() -> Forge.verifier(Algorithm.HS256).verify(token), Code.MALFORMED);
    }

    @Test
    void aWholeTokenWithSurroundingWhitespaceIsMalformed() {
        String token = canonicalToken();
        for (String wrapped : List.of(" " + token, token + " ", token + "\n", "\t" + token + "\r\n")) {
            assertCode(() -> Forge.verifier(Algorithm.HS256).verify(wrapped), Code.MALFORMED);
        }
    }

    private static String replacePart(String token, int index, String replacement) {
        String[] parts = token.split("\\.");
        parts[index] = replacement;
        return String.join(".", parts);
    }

    /** Sets the lowest unused bit of the last character: same bytes for a lenient decoder, never canonical. */
    private static String withTrailingBit(String part) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(part.charAt(part.length() - 1));
        assertThat(part.length() % 4).as("a partial quantum has unused bits").isNotZero();
        return part.substring(0, part.length() - 1) + alphabet.charAt(last | 1);
    }
}
