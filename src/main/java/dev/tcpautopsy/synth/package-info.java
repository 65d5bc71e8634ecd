/** Synthetic captures with known ground truth: a deterministic, streaming pcap / pcapng generator. */
package dev.tcpautopsy.synth;
