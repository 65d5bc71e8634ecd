/** Findings: what went wrong across the connections of a capture (timers, devices, events), from bounded state. */
package dev.tcpautopsy.findings;
