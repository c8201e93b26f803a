package dev.jot.server.http;

import java.util.Map;

/**
 * An error answer: HTTP status, a stable machine-readable {@code code}, and a human-readable detail that never
 * contains secrets. Thrown by handlers and services, written as RFC 9457 {@code application/problem+json}.
 */
public final class ApiProblem extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, String> headers;

    public ApiProblem(int status, String code, String detail) {
        this(status, code, detail, Map.of());
    }

    public ApiProblem(int status, String code, String detail, Map<String, String> headers) {
        super(detail, null, false, false); // no stack trace: this is an answer, not a bug
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "invalid_request", detail);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, String> headers() {
        return headers;
    }
}
