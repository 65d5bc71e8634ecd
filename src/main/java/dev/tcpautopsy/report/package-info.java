/** Rendering the analysis model: one renderer per format; renderers do no analysis. */
package dev.tcpautopsy.report;
