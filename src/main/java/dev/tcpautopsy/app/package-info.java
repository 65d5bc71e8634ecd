/** What the applications said: the first bytes of each message decoded per direction, bounded and private. */
package dev.tcpautopsy.app;
