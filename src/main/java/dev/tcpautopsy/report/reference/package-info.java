/** The reference page (docs/reference.md): every name in the reports and what it means, from the glossary. */
package dev.tcpautopsy.report.reference;
