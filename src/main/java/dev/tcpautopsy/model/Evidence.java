package dev.tcpautopsy.model;

import java.util.List;

/**
 * A frame that proves a verdict, with a one-line note; {@code headerDump} holds the decoded
 * headers of the frame line by line when the report carries them (empty otherwise).
 */
public record Evidence(long frame, String note, List<String> headerDump) {
    public Evidence {
        headerDump = headerDump == null ? List.of() : List.copyOf(headerDump);
    }

    public Evidence(long frame, String note) {
        this(frame, note, List.of());
    }
}
