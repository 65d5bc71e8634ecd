/** {@code report.json}: the JSON contract, streamed flow by flow. */
package dev.tcpautopsy.report.json;
