package dev.tcpautopsy.decode;

/** Names for the non-TCP protocols the report counts. */
final class EtherNames {
    private EtherNames() {
    }

    static String etherType(int t) {
        switch (t) {
            case 0x0806: return "ARP";
            case 0x8035: return "RARP";
            case 0x0842: return "Wake-on-LAN";
            case 0x22F0: return "AVTP";
            case 0x8137: return "IPX";
            case 0x809B: return "AppleTalk";
            case 0x80F3: return "AARP";
            case 0x8808: return "Ethernet flow control";
            case 0x8809: return "Slow protocols (LACP)";
            case 0x8863: return "PPPoE discovery";
            case 0x886D: return "Intel ANS";
            case 0x888E: return "EAPOL";
            case 0x8892: return "PROFINET";
            case 0x88A4: return "EtherCAT";
            case 0x88CC: return "LLDP";
            case 0x88E5: return "MACsec";
            case 0x88F7: return "PTP";
            case 0x8902: return "CFM";
            case 0x8906: return "FCoE";
            case 0x8914: return "FIP";
            case 0x9000: return "Ethernet loopback";
            case 0x893A: return "IEEE 1905.1";
            case 0x88B5: case 0x88B6: return "local experimental ethertype";
            default: return String.format("ethertype 0x%04x", t);
        }
    }

    static String ipProto(int p) {
        switch (p) {
            case 0: return "IPv6 hop-by-hop";
            case 1: return "ICMP";
            case 2: return "IGMP";
            case 8: return "EGP";
            case 9: return "IGP";
            case 17: return "UDP";
            case 27: return "RDP";
            case 33: return "DCCP";
            case 46: return "RSVP";
            case 50: return "ESP";
            case 51: return "AH";
            case 58: return "ICMPv6";
            case 59: return "IPv6 no next header";
            case 88: return "EIGRP";
            case 89: return "OSPF";
            case 103: return "PIM";
            case 112: return "VRRP";
            case 115: return "L2TPv3";
            case 132: return "SCTP";
            case 136: return "UDP-Lite";
            default: return "IP protocol " + p;
        }
    }
}
