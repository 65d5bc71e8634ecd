/** {@code index.html}: one self-contained HTML report rendered with Thymeleaf. */
package dev.tcpautopsy.report.html;
