package dev.tcpautopsy.serve;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Jetty's own error answers (a request line or URI too long, headers too large, a Host that is no
 * host name), which it gives before any handler of the service runs: with the same security
 * headers as every other answer.
 */
final class ErrorPages extends ErrorHandler {
    /** The headers every answer carries, in the order they are sent. */
    static final Map<String, String> SECURITY_HEADERS = new java.util.LinkedHashMap<>();

    static {
        SECURITY_HEADERS.put("X-Content-Type-Options", "nosniff");
        SECURITY_HEADERS.put("Referrer-Policy", "no-referrer");
        SECURITY_HEADERS.put("X-Frame-Options", "DENY");
        SECURITY_HEADERS.put("Content-Security-Policy", WebApp.CSP_APP);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        SECURITY_HEADERS.forEach((k, v) -> response.getHeaders().put(k, v));
        return super.handle(request, response, callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        SECURITY_HEADERS.forEach(fields::put);
        return super.badMessageError(status, reason, fields);
    }
}
