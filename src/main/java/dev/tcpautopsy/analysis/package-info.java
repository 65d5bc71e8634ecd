/** The pipeline: capture, decode, flow and classify run over inputs to build the analysis model. */
package dev.tcpautopsy.analysis;
