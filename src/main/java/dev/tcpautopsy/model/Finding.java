package dev.tcpautopsy.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One thing that went wrong across the connections of a capture ({@code captures[].findings}): what it
 * is, in one sentence, and the connections it explains.
 *
 * @param kind     what it is about
 * @param title    one sentence for people, e.g. "198.18.1.2:80 closes connections idle for 3.00 s"
 * @param count    connections it explains (exact)
 * @param streams  the first of them ({@code tcp.stream}), at most {@value #MAX_STREAMS} (those judged first), in stream order
 * @param endpoint the endpoint it is about (port 0: a host, whatever its port), {@code null} when none
 * @param side     {@code client}, {@code server}, {@code middlebox} or {@code path}; {@code null} when none
 * @param seconds  the timer or delay it is about, {@code null} when none
 * @param matches  well-known defaults that timer matches (empty when none, or no timer)
 * @param fix      what to change, in one line; {@code null} when the finding does not say
 * @param more     the kind's other fields (numbers, text), in the order the JSON writes them
 */
public record Finding(FindingKind kind, String title, long count, List<Long> streams, Endpoint endpoint, String side,
                      Double seconds, List<TimerMatch> matches, String fix, Map<String, Object> more) {
    public static final int MAX_STREAMS = 1000;

    public Finding {
        streams = List.copyOf(streams);
        matches = List.copyOf(matches);
        more = Collections.unmodifiableMap(new LinkedHashMap<>(more));
    }
}
