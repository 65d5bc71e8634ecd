/** {@code summary.md}: a short Markdown summary for a ticket comment. */
package dev.tcpautopsy.report.markdown;
