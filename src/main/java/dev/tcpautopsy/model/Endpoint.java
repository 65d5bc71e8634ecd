package dev.tcpautopsy.model;

/** One end of a connection. */
public record Endpoint(String ip, int port) {
    @Override
    public String toString() {
        return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;
    }
}
