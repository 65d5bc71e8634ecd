package dev.tcpautopsy.decode;

/** Encapsulations counted in {@code DecodeStats.tunnels}, with the names reports show. */
enum Tunnel {
    GRE("GRE"), GRE_TEB("GRE-TEB"), GRE_WLAN("GRE-802.11"), ERSPAN("ERSPAN"), PPTP("GRE-PPTP"), VXLAN("VXLAN"), GENEVE("GENEVE"),
    IPIP("IPv4-in-IP"), IP6IP("IPv6-in-IP"), TEREDO("Teredo"), MPLS("MPLS"), PPPOE("PPPoE"),
    VLAN("802.1Q/802.1ad"), GTP_U("GTP-U"), AYIYA("AYIYA");

    final String label;

    Tunnel(String label) {
        this.label = label;
    }
}
