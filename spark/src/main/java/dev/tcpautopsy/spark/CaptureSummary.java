package dev.tcpautopsy.spark;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What the archive's summary says of one capture (a series), in plain values that travel from an
 * executor to the driver: the facts and ending counts of its report, with classes and {@code by} as
 * the reports spell them, maps in the reports' order.
 *
 * @param date        the day (UTC) of its first packet, which partitions its flows; {@code null} when none
 * @param toolVersion the analyzer's version, {@code null} when nothing was analyzed
 */
record CaptureSummary(String file, String format, boolean compressed, long bytes, long packets, String first,
                      String last, String vantage, String error, long errorOffset, long connections, long abnormal,
                      Map<String, Long> byClass, Map<String, Map<String, Long>> byClassAndBy, List<Ranked> topHosts,
                      List<Ranked> topPorts, LocalDate date, String toolVersion) implements Serializable {

    /** A host or server port with its endings. */
    record Ranked(String key, long flows, long abnormal, Map<String, Long> byClass) implements Serializable {
    }
}
