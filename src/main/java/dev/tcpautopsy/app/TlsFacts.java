package dev.tcpautopsy.app;

/**
 * What the TLS record layer showed in clear.
 *
 * @param sni   the server name of the last ClientHello, {@code null} when it had none
 * @param alpn  the protocols the last ClientHello offered, comma separated, {@code null} when none
 * @param alert the flow's first alert record, the one that began the TLS ending ({@code "fatal handshake_failure"},
 *              {@code "warning close_notify"}, {@code "encrypted alert"} once the sender encrypts), {@code null} when none
 */
public record TlsFacts(String sni, String alpn, AppMessage alert) {
}
