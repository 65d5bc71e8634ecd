/** Two captures of the same traffic: connections matched across them, and what one point saw that the other did not. */
package dev.tcpautopsy.compare;
