package dev.tcpautopsy.model;

/** One end of a connection. */
public record Endpoint(String ip, int port) {
    // Written out, as the record's own would compute them (so hash maps keep their order): the record's are
    // method handles, which the quick compiler runs slowly, and findings look endpoints up for every flow.
    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && port == e.port && java.util.Objects.equals(ip, e.ip);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hashCode(ip) + port;
    }

    @Override
    public String toString() {
        return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;
    }
}
