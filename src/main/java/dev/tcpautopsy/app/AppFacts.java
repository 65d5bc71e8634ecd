package dev.tcpautopsy.app;

/**
 * What the applications were saying when a connection ended: the contract's {@code flows[].app}.
 * Fields that do not apply are {@code null}.
 *
 * @param protocol     {@code http}, {@code http2}, {@code grpc}, {@code tls}, {@code postgresql}, {@code mysql},
 *                     {@code redis}, {@code smtp}, {@code ftp}, {@code imap}, {@code pop3}; {@code null} when the
 *                     bytes were none of them
 * @param lastRequest  the last request read (HTTP: method, target and Host; elsewhere the command or a query's
 *                     first words; TLS: the ClientHello or an application data record)
 * @param lastResponse the last response read (status line, reply code, error, command tag)
 * @param unanswered   a request was in flight (sent, no response begun) when the connection ended;
 *                     {@code null} when no request was read, or when the wire does not tell (the last request
 *                     was an encrypted record the size of an encrypted alert)
 * @param goodbye      the last message an endpoint sent right before its own FIN or RST, when it was an
 *                     error, a refusal or an alert (an HTTP 4xx/5xx, an SMTP 421, a PostgreSQL FATAL, a TLS
 *                     alert, an HTTP/2 GOAWAY); the earlier of the two sides' when both said one
 * @param rejected     the goodbye refused the client: the server's words that it would not serve it (MySQL
 *                     1130/1045, PostgreSQL FATAL 28P01/57P01/57P05, HTTP 4xx/5xx, SMTP 421/554, ...)
 * @param requestLost  a request was in flight when the server closed, and the client had not closed before
 *                     it: the request crossed the close
 * @param tls          the TLS facts, {@code null} when no TLS record was read
 * @param cutFrame     the first frame whose payload the capture's snapshot length cut (its messages from there
 *                     on are not decoded), -1 when none was cut
 */
public record AppFacts(String protocol, AppMessage lastRequest, AppMessage lastResponse, Boolean unanswered,
                       AppMessage goodbye, boolean rejected, boolean requestLost, TlsFacts tls, long cutFrame) {
    /** No protocol recognised, nothing read. */
    public static final AppFacts NONE = new AppFacts(null, null, null, null, null, false, false, null, -1);
}
