/** The command line: picocli commands that wire the pipeline together. */
package dev.tcpautopsy.cli;
