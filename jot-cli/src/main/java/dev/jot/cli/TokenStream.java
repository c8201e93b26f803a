package dev.jot.cli;

import dev.jot.jwt.Json;
import dev.jot.jwt.JwtException;
import dev.jot.jwt.JwtVerifier;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code jot verify -}: one verdict line per input line, in order, so output line N answers input line N
 * (an empty line is answered too, as malformed). Each line is flushed at once so a pipe can stream tokens.
 */
final class TokenStream {

    private final JwtVerifier verifier;

    TokenStream(JwtVerifier verifier) {
        this.verifier = verifier;
    }

    /** Exit 0 when every token was valid, 1 otherwise. */
    int verifyLines(InputStream in, PrintWriter out) {
        boolean allValid = true;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Map<String, Object> verdict = verdict(line.strip());
                allValid &= Boolean.TRUE.equals(verdict.get("valid"));
                out.println(Json.write(verdict));
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return allValid ? Exit.OK : Exit.INVALID;
    }

    private Map<String, Object> verdict(String token) {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            Map<String, Object> claims = verifier.verify(token).claims().asMap();
            m.put("valid", true);
            m.put("claims", claims);
        } catch (JwtException e) {
            m.put("valid", false);
            m.put("code", e.code().name());
            m.put("message", e.getMessage());
        }
        return m;
    }
}
