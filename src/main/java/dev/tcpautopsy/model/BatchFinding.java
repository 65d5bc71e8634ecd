package dev.tcpautopsy.model;

import java.util.List;

/**
 * A finding across the captures of a batch ({@code findings} of the report): the same timer, device or
 * endpoint seen in several captures is one finding.
 *
 * @param kind    what it is about
 * @param title   one sentence for people
 * @param count   connections it explains, all captures together
 * @param side    as {@link Finding#side()}, when the captures agree
 * @param seconds the timer's seconds (the lowest of the captures'), {@code null} when none
 * @param matches well-known defaults that timer matches
 * @param where   each capture's finding it gathers, most connections first
 */
public record BatchFinding(FindingKind kind, String title, long count, String side, Double seconds,
                           List<TimerMatch> matches, List<Where> where) {
    public BatchFinding {
        matches = List.copyOf(matches);
        where = List.copyOf(where);
    }

    /**
     * One capture's part.
     *
     * @param capture the capture's place in the report's {@code captures}
     * @param file    its file
     * @param finding its finding
     */
    public record Where(int capture, String file, Finding finding) {
    }
}
