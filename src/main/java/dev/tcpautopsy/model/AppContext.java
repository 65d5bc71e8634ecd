package dev.tcpautopsy.model;

/**
 * What the applications were saying when the connection died ({@code flows[].app}): decoded from the
 * first bytes of each message, one message header at most, never a body.
 *
 * @param protocol     {@code http}, {@code tls}, {@code postgresql}, {@code mysql}, {@code redis}, {@code smtp},
 *                     ... recognised from the bytes, not the port; {@code null} when unknown
 * @param lastRequest  the last request (or command, or query), {@code null} when none was seen
 * @param lastResponse the last response, {@code null} when none
 * @param unanswered   a request was in flight (sent, no response begun) when the connection ended; {@code null}
 *                     when no request was seen, or when the wire cannot tell (the last one was an encrypted record)
 * @param goodbye      the last message an endpoint sent right before its own FIN or RST, {@code null} when none
 * @param tls          what the TLS record layer showed, {@code null} when the flow was no TLS
 * @param note         why less is known than usual (the payload was cut by the capture's snapshot length,
 *                     decoding lost track after a gap), {@code null} when nothing was lost
 */
public record AppContext(String protocol, AppMessage lastRequest, AppMessage lastResponse, Boolean unanswered,
                         AppMessage goodbye, Tls tls, String note) {

    /**
     * One message, as one line.
     *
     * @param frame the frame that carries the message's first byte
     * @param from  {@code client} or {@code server}
     */
    public record AppMessage(long frame, String from, String text) {
    }

    /**
     * The TLS record layer: the ClientHello's server name and offered protocols, and the last alert.
     *
     * @param alert the last alert, its text such as {@code warning close_notify}; {@code null} when none
     */
    public record Tls(String sni, String alpn, AppMessage alert) {
    }
}
