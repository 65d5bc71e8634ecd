/** {@code tcpautopsy serve}: upload captures over HTTP, analyze them in worker processes, keep permalinks to the reports. */
package dev.tcpautopsy.serve;
