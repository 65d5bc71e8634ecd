/** The immutable analysis model that every report format renders; imports nothing else of ours. */
package dev.tcpautopsy.model;
