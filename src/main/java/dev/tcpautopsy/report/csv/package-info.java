/** {@code flows.csv}: one RFC 4180 row a flow, with stable documented columns. */
package dev.tcpautopsy.report.csv;
