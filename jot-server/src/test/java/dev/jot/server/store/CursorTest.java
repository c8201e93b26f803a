package dev.jot.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Page cursors: opaque to clients, exact to the microsecond the databases keep, refused when not ours. */
class CursorTest {
    @Test
    void aCursorComesBackAsItWentOut() {
        for (Instant at : new Instant[] {Instant.parse("2026-11-30T12:34:56.123456Z"), Instant.EPOCH,
                Instant.parse("1969-12-31T23:59:59.999999Z")}) {
            Cursor c = new Cursor(at, "0f9e49e5-f104-43da-8878-36a5cf5cef4a");
            assertThat(Cursor.decode(c.encode())).isEqualTo(c);
        }
        assertThat(new Cursor(Instant.EPOCH, "x").encode()).matches("[A-Za-z0-9_-]+");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "!!", "aGVsbG8", "MTphJ2I", "OTk5OTk5OTk5OTk5OTk5OTk5OTk6YQ", "MTo", "OmE"})
    void anythingElseIsABadRequest(String text) {
        assertThatThrownBy(() -> Cursor.decode(text)).isInstanceOfSatisfying(ServerException.class,
                e -> assertThat(e.error()).isEqualTo(ServerError.INVALID_REQUEST));
    }
}
