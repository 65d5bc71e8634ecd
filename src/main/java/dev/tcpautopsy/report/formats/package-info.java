/** The report formats the command and the service share. */
package dev.tcpautopsy.report.formats;
