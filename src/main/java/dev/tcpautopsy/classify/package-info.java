/** Deciding how a finished connection ended: a pure function of its facts. */
package dev.tcpautopsy.classify;
