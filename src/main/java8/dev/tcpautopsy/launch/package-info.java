/** The jar's entry point, compiled for old Java versions so that it can tell them apart. */
package dev.tcpautopsy.launch;
