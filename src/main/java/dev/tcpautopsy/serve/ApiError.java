package dev.tcpautopsy.serve;

/**
 * A request the service refuses, answered as {@code {"error": message, "code": code}} with an HTTP
 * status. The message is one line that says what limit or rule was hit and how to change it.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String code;

    ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static ApiError notFound(String what) {
        return new ApiError(404, "not_found", what + " not found");
    }
}
