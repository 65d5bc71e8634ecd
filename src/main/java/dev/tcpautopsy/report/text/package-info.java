/** Plain-text views for the terminal ({@code tcpautopsy show}). */
package dev.tcpautopsy.report.text;
