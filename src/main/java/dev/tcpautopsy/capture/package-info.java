/** Reading capture files (pcap, pcapng, gzip) into reused records, with damage reported by offset. */
package dev.tcpautopsy.capture;
