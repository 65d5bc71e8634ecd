package dev.tcpautopsy.synth;

import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.TerminationClass;

import java.util.Map;

/**
 * What a generator run wrote.
 *
 * @param packets    records in the file
 * @param fileBytes  bytes of the (uncompressed) capture
 * @param frameBytes bytes of all frames (for the average frame size)
 * @param flows      TCP connections (Wireshark's tcp.stream count)
 * @param firstNanos capture time of the first packet
 * @param lastNanos  capture time of the last packet
 * @param verdicts   flows per class and {@code by}: the ground truth
 * @param endings    flows per ending variant
 */
public record SynthResult(long packets, long fileBytes, long frameBytes, long flows, long firstNanos, long lastNanos,
                          Map<TerminationClass, Map<By, Long>> verdicts, Map<Ending, Long> endings) {
    public SynthResult {
        verdicts = Map.copyOf(verdicts);
        endings = Map.copyOf(endings);
    }

    public double averageFrame() {
        return packets == 0 ? 0 : (double) frameBytes / packets;
    }

    /** Flows of one class and {@code by}. */
    public long count(TerminationClass c, By by) {
        Map<By, Long> m = verdicts.get(c);
        return m == null ? 0 : m.getOrDefault(by, 0L);
    }
}
