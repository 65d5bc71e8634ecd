package dev.tcpautopsy.model;

import java.util.Iterator;
import java.util.List;

/**
 * The connections of one capture in {@code stream} order. It may live on disk rather than in
 * memory, so iterate it rather than copying it; each iteration reads it afresh.
 */
public interface FlowSet extends Iterable<Flow> {

    /** Number of flows. */
    long size();

    /** A flow set held in memory. */
    static FlowSet of(List<Flow> flows) {
        List<Flow> copy = List.copyOf(flows);
        return new FlowSet() {
            @Override
            public long size() {
                return copy.size();
            }

            @Override
            public Iterator<Flow> iterator() {
                return copy.iterator();
            }
        };
    }
}
