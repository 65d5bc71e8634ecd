/** The reports of {@code compare}: compare.json, compare.csv and compare.html, from one {@code Comparison}. */
package dev.tcpautopsy.report.compare;
