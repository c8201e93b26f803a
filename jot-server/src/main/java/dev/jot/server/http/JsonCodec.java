package dev.jot.server.http;

import dev.jot.server.error.ServerException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The server's one JSON codec for HTTP bodies, in and out: Jackson (Javalin's own JSON library, already on the
 * class path), strict on input (duplicate names, trailing data, depth) and compact on output. The JOSE core keeps
 * its own strict reader and writer for tokens and keys (JWS headers, claims, JWKS) on purpose; HTTP bodies are
 * not JOSE. Speed is not the reason to prefer either: writing the {@code GET /me} body takes Jackson ~0.5 µs and
 * the JOSE writer ~0.3 µs (measured 2026-11-30, one thread, JDK 25), while the whole request costs ~50 µs of CPU
 * (2 cores at ~40k requests/s): the difference is under 1% of a request, inside wrk's run-to-run noise.
 *
 * <p>Jackson's buffers come from a shared pool. Its default keeps them per thread, and requests run on virtual
 * threads, one per request: every body then allocated fresh buffers (~16 KB), and a token response took ~2× as
 * long on virtual threads as on a warm platform thread (measured 2026-11-30, JDK 25, Jackson 2.21).
 */
public final class JsonCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    private JsonCodec() {
    }

    /** Parses a request body that must be one JSON object; anything else is a 400 {@code invalid_request}. */
    public static ObjectNode parseObject(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node instanceof ObjectNode o) {
                return o;
            }
            throw ServerException.badRequest("the request body must be a JSON object");
        } catch (JsonProcessingException e) {
            throw ServerException.badRequest("the request body is not valid JSON");
        } catch (java.io.IOException e) {
            throw ServerException.badRequest("the request body could not be read");
        }
    }

    /**
     * A streaming parser over a request body, as strict as {@link #parseObject} (duplicate names, depth; the caller
     * checks for trailing data): for large bodies read entry by entry instead of as a tree.
     */
    public static JsonParser parser(java.io.InputStream body) throws java.io.IOException {
        return MAPPER.createParser(body);
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize response", e);
        }
    }
}
