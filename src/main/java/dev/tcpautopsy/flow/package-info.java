/** Reconstructing TCP connections from segments: both directions, their states and analyses. */
package dev.tcpautopsy.flow;
