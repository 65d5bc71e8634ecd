/** Decoding link, IP and TCP headers into {@link dev.tcpautopsy.decode.TcpSegment} flyweights. */
package dev.tcpautopsy.decode;
