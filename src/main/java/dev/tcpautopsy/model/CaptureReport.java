package dev.tcpautopsy.model;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * Everything learned from one capture (one element of {@code captures[]}); several files read
 * with {@code --merge} form one capture.
 *
 * @param file        the capture as the user named it (files joined by {@code ", "} when merged)
 * @param format      {@code pcap}, {@code pcap-nsec}, {@code pcapng}; {@code null} when unreadable
 * @param compressed  whether it was gzip-compressed
 * @param bytes       size of the input as stored
 * @param packets     records read, TCP or not
 * @param first       time of the first record, {@code null} when there was none
 * @param vantage     where the capture was taken, as inferred from TTLs (e.g. "client host")
 * @param error       why reading stopped early, or {@code null} when the whole capture was read
 * @param findings    what went wrong across its connections, most connections explained first
 */
public record CaptureReport(String file, String format, boolean compressed, long bytes, long packets,
                            Instant first, Instant last, List<LinkTypeCount> linkTypes, DecodeStats decoding,
                            String vantage, CaptureError error, EndingSummary summary, FlowSet flows,
                            List<Finding> findings) {
    /** The captures with the most abnormal endings first; a stable sort keeps the given order among equals. */
    public static final Comparator<CaptureReport> MOST_ABNORMAL_FIRST =
            Comparator.comparingLong(CaptureReport::abnormal).reversed();

    public CaptureReport {
        linkTypes = List.copyOf(linkTypes);
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /** A capture without findings. */
    public CaptureReport(String file, String format, boolean compressed, long bytes, long packets, Instant first,
                         Instant last, List<LinkTypeCount> linkTypes, DecodeStats decoding, String vantage,
                         CaptureError error, EndingSummary summary, FlowSet flows) {
        this(file, format, compressed, bytes, packets, first, last, linkTypes, decoding, vantage, error, summary, flows,
                List.of());
    }

    /** Abnormal endings reported, 0 when there is no summary. */
    public long abnormal() {
        return summary == null ? 0 : summary.abnormal();
    }

    /** The same capture with other flows (a sample of them, or a view that shares their decoding). */
    public CaptureReport withFlows(FlowSet other) {
        return new CaptureReport(file, format, compressed, bytes, packets, first, last, linkTypes, decoding, vantage,
                error, summary, other, findings);
    }

    /** Whether the capture was read to its end. */
    public boolean complete() {
        return error == null;
    }
}
