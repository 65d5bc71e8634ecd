package dev.tcpautopsy.model;

/**
 * Packets seen with one link-layer header type. {@code decoder} says who decoded them:
 * {@code native} (our fast path), {@code pcap4j}, or {@code none} (counted and named, not decoded).
 */
public record LinkTypeCount(int linkType, String name, long packets, String decoder) {
}
