package org.eseg.serve;

import java.util.Locale;

/**
 * A request the server refuses: an HTTP status with the JSON body {@code {code, type, message}}.
 */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int code;
    private final String type;

    ApiError(int code, String type, String message) {
        super(message);
        this.code = code;
        this.type = type;
    }

    int code() {
        return code;
    }

    String type() {
        return type;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "BadRequest", message);
    }

    static ApiError unauthorized() {
        return new ApiError(401, "Unauthorized", "this server needs the header 'Authorization: Bearer <token>'");
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "NotFound", message);
    }

    static ApiError methodNotAllowed(String method, String path) {
        return new ApiError(405, "MethodNotAllowed", method + " is not allowed on " + path);
    }

    static ApiError tooLarge(String message) {
        return new ApiError(413, "PayloadTooLarge", message);
    }

    static ApiError queueFull(int queue) {
        return new ApiError(503, "ServiceUnavailable", String.format(Locale.ROOT,
                "all workers are busy and %d requests are waiting; retry later", queue));
    }

    static ApiError stopping() {
        return new ApiError(503, "ServiceUnavailable", "the server is stopping");
    }
}
