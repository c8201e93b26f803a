package dev.jot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.http.OAuthErrors;
import dev.jot.server.http.Problems;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Every server error through every surface: the problem document (status, code, headers), the RFC 6749 answer of
 * the OAuth routes (or a problem document where the OAuth routes do not use that shape), and the command line's
 * {@code error: CODE: message} line with its exit status. The table is the contract; a constant missing from it
 * fails {@link #theTableCoversEveryError()}.
 */
class ServerErrorSurfacesTest {
    private static final String DETAIL = "Fixed detail";
    private static final String ARGUMENT = "orders:read";
    private static final String BEARER = "Bearer realm=\"jot\"";

    record Row(ServerError error, int status, String code, String oauth, Map<String, String> headers, int exit,
               boolean pointsAtHelp) {
    }

    private static Row row(ServerError e, int status, String code, String oauth, int exit, String... headers) {
        Map<String, String> h = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return new Row(e, status, code, oauth, h, exit, false);
    }

    private static Row helpful(Row r) {
        return new Row(r.error(), r.status(), r.code(), r.oauth(), r.headers(), r.exit(), true);
    }

    private static final String WWW = "WWW-Authenticate";
    private static final String INVALID_TOKEN = BEARER + ", error=\"invalid_token\", error_description=\"" + DETAIL + "\"";

    static Stream<Row> table() {
        return Stream.of(
                row(ServerError.INVALID_REQUEST, 400, "invalid_request", "400 invalid_request", 2),
                row(ServerError.UNSUPPORTED_MEDIA_TYPE, 415, "unsupported_media_type", "400 invalid_request", 2,
                        "Accept-Post", ARGUMENT),
                row(ServerError.PAYLOAD_TOO_LARGE, 413, "payload_too_large", "413 invalid_request", 2, "Connection", "close"),
                row(ServerError.NOT_FOUND, 404, "not_found", "404 invalid_request", 1),
                row(ServerError.METHOD_NOT_ALLOWED, 405, "method_not_allowed", "405 invalid_request", 2, "Allow", ARGUMENT),
                row(ServerError.URI_TOO_LONG, 414, "uri_too_long", "414 invalid_request", 2),
                row(ServerError.HEADERS_TOO_LARGE, 431, "headers_too_large", "431 invalid_request", 2),
                row(ServerError.TOKEN_MISSING, 401, "token_missing", "problem", 1, WWW, BEARER),
                row(ServerError.TOKEN_INVALID, 401, "token_invalid", "problem", 1, WWW, INVALID_TOKEN),
                row(ServerError.TOKEN_EXPIRED, 401, "token_expired", "problem", 1, WWW, INVALID_TOKEN),
                row(ServerError.BEARER_INVALID_REQUEST, 400, "invalid_request", "problem", 2,
                        WWW, BEARER + ", error=\"invalid_request\", error_description=\"" + DETAIL + "\""),
                row(ServerError.INSUFFICIENT_SCOPE, 403, "insufficient_scope", "problem", 1,
                        WWW, BEARER + ", error=\"insufficient_scope\", scope=\"" + ARGUMENT + "\""),
                helpful(row(ServerError.INVALID_USERNAME, 400, "invalid_username", "400 invalid_request", 2)),
                helpful(row(ServerError.INVALID_PASSWORD, 400, "invalid_password", "400 invalid_request", 2)),
                row(ServerError.USER_EXISTS, 409, "user_exists", "409 invalid_request", 1),
                row(ServerError.INVALID_CREDENTIALS, 401, "invalid_credentials", "400 invalid_grant", 1),
                row(ServerError.INVALID_BASIC_CREDENTIALS, 401, "invalid_credentials", "400 invalid_grant", 1,
                        WWW, "Basic realm=\"jot\", charset=\"UTF-8\""),
                row(ServerError.RATE_LIMITED, 429, "rate_limited", "429 temporarily_unavailable", 1, "Retry-After", "1"),
                row(ServerError.QUOTA_EXCEEDED, 429, "quota_exceeded", "429 temporarily_unavailable", 1, "Retry-After", "1"),
                row(ServerError.WRONG_CURRENT_PASSWORD, 403, "invalid_credentials", "400 invalid_grant", 1),
                row(ServerError.USER_NOT_FOUND, 404, "user_not_found", "404 invalid_request", 1),
                helpful(row(ServerError.INVALID_ROLE, 400, "invalid_role", "400 invalid_request", 2)),
                row(ServerError.REGISTRATION_CLOSED, 403, "registration_closed", "403 invalid_request", 1),
                row(ServerError.LAST_ADMIN, 409, "last_admin", "409 invalid_request", 1),
                row(ServerError.REFRESH_TOKEN_INVALID, 401, "token_invalid", "400 invalid_grant", 1, WWW, INVALID_TOKEN),
                row(ServerError.REFRESH_TOKEN_EXPIRED, 401, "token_expired", "400 invalid_grant", 1, WWW, INVALID_TOKEN),
                row(ServerError.UNSUPPORTED_GRANT_TYPE, 400, "unsupported_grant_type", "400 unsupported_grant_type", 2),
                row(ServerError.INVALID_SCOPE, 400, "invalid_scope", "400 invalid_scope", 2),
                row(ServerError.INVALID_CLIENT, 400, "invalid_client", "400 invalid_client", 1),
                row(ServerError.INVALID_CLIENT_BASIC, 401, "invalid_client", "401 invalid_client", 1,
                        WWW, "Basic realm=\"jot\", charset=\"UTF-8\""),
                row(ServerError.INVALID_TARGET, 400, "invalid_target", "400 invalid_target", 2),
                row(ServerError.API_KEY_NOT_FOUND, 404, "api_key_not_found", "404 invalid_request", 1),
                row(ServerError.TOO_MANY_API_KEYS, 409, "too_many_api_keys", "409 invalid_request", 1),
                row(ServerError.CLIENT_NOT_FOUND, 404, "client_not_found", "404 invalid_request", 1),
                row(ServerError.SECRET_NOT_FOUND, 404, "secret_not_found", "404 invalid_request", 1),
                row(ServerError.TOO_MANY_SECRETS, 409, "too_many_secrets", "409 invalid_request", 1),
                row(ServerError.SESSION_NOT_FOUND, 404, "session_not_found", "404 invalid_request", 1),
                row(ServerError.USAGE_BATCH_INVALID, 400, "usage_batch_invalid", "400 invalid_request", 2),
                row(ServerError.USAGE_QUERY_INVALID, 400, "usage_query_invalid", "400 invalid_request", 2),
                row(ServerError.NO_ROTATION, 409, "no_rotation", "409 invalid_request", 2),
                row(ServerError.ROTATION_CONFLICT, 409, "rotation_conflict", "409 invalid_request", 1),
                row(ServerError.STARTUP, 500, "startup_failed", "500 server_error", 1),
                row(ServerError.NO_DATABASE, 500, "no_database", "500 server_error", 1),
                row(ServerError.DATA_DIRECTORY, 500, "data_directory", "500 server_error", 1),
                row(ServerError.DATABASE_IN_USE, 503, "database_in_use", "503 temporarily_unavailable", 1, "Retry-After", "5"),
                row(ServerError.DATABASE_UNAVAILABLE, 503, "database_unavailable", "503 temporarily_unavailable", 1,
                        "Retry-After", "5"),
                row(ServerError.DATABASE_BUSY, 503, "database_busy", "503 temporarily_unavailable", 1, "Retry-After", "1"),
                row(ServerError.SERVER_BUSY, 503, "server_busy", "503 temporarily_unavailable", 1, "Retry-After", "1"),
                row(ServerError.INTERNAL_ERROR, 500, "internal_error", "500 server_error", 1));
    }

    static Stream<Arguments> rows() {
        return table().map(r -> Arguments.of(r.error(), r));
    }

    private static ServerException thrown(ServerError error) {
        return new ServerException(error, DETAIL).withArgument(ARGUMENT);
    }

    @Test
    void theTableCoversEveryError() {
        assertThat(table().map(Row::error)).containsExactlyInAnyOrder(ServerError.values());
    }

    @ParameterizedTest(name = "{0}: problem document")
    @MethodSource("rows")
    void asAProblemDocument(ServerError error, Row row) {
        ServerException e = thrown(error);
        assertThat(Problems.body(e)).containsEntry("status", row.status()).containsEntry("code", row.code())
                .containsEntry("detail", DETAIL).containsKey("title");
        assertThat(Problems.headers(e)).isEqualTo(row.headers());
    }

    @ParameterizedTest(name = "{0}: OAuth routes")
    @MethodSource("rows")
    void onTheOAuthRoutes(ServerError error, Row row) {
        Optional<OAuthErrors.Answer> answer = OAuthErrors.answer(thrown(error));
        if (row.oauth().equals("problem")) {
            assertThat(answer).as("answered as a problem document, like any protected route").isEmpty();
            return;
        }
        String[] expected = row.oauth().split(" ");
        assertThat(answer).hasValueSatisfying(a -> {
            assertThat(a.status()).isEqualTo(Integer.parseInt(expected[0]));
            assertThat(a.body()).isEqualTo(Map.of("error", expected[1], "error_description", DETAIL));
        });
    }

    @ParameterizedTest(name = "{0}: command line")
    @MethodSource("rows")
    void onTheCommandLine(ServerError error, Row row) {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new Throws(thrown(error)));
        cmd.setErr(new PrintWriter(err));
        cmd.setExecutionExceptionHandler(Main::failure);

        int exit = cmd.execute();

        assertThat(exit).isEqualTo(row.exit());
        assertThat(err.toString().strip()).isEqualTo("error: " + error.name() + ": " + DETAIL
                + (row.pointsAtHelp() ? " (see --help)" : ""));
    }

    @Test
    void problemCodesAreLowerSnakeCaseAndCliCodesAreTheConstantNames() {
        assertThat(Arrays.stream(ServerError.values())).allSatisfy(e -> {
            assertThat(e.code()).matches("[a-z]+(_[a-z]+)*");
            assertThat(e.cliCode()).isEqualTo(e.name());
        });
    }

    @Command(name = "throws")
    private record Throws(ServerException e) implements Callable<Integer> {
        @Override
        public Integer call() {
            throw e;
        }
    }
}
