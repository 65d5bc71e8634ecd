package dev.tcpautopsy.serve;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a worker learned from one capture (or a pair of them), written next to the reports as {@code facts.json} and
 * copied into the index for the list and its search.
 *
 * @param error          why reading stopped early (the file and byte offset), or null when it was read to its end
 * @param byClass        flows per termination class, by class name
 * @param hosts          distinct addresses at either end of the flows, at most {@link #MAX_HOSTS}
 * @param hostsTruncated whether there were more
 * @param summary        a pair's headline; absent for one capture
 */
record Facts(long packets, long flows, long abnormal, String format, boolean compressed, String error,
             Map<String, Long> byClass, List<String> hosts, boolean hostsTruncated,
             @JsonInclude(JsonInclude.Include.NON_NULL) String summary) {
    static final int MAX_HOSTS = 5_000;

    Facts {
        // in class-name order: Map.copyOf's order changes from one JVM to the next, and so would facts.json
        byClass = Collections.unmodifiableMap(new TreeMap<>(byClass));
        hosts = List.copyOf(hosts);
    }
}
