package dev.tcpautopsy.model;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The connections of one capture in {@code stream} order. It may live on disk rather than in
 * memory, so iterate it rather than copying it; each iteration reads it afresh. The formats read its
 * encoded flows ({@link #cursor}); iterating it gives model {@link Flow}s.
 */
public interface FlowSet extends Iterable<Flow> {

    /** Number of flows. */
    long size();

    /** The flows in their encoded form, from the first. */
    FlowCursor cursor();

    /** The model flows, each decoded from its encoded form. */
    @Override
    default Iterator<Flow> iterator() {
        FlowCursor c = cursor();
        FlowRecord r = new FlowRecord();
        return new Iterator<>() {
            private boolean ahead, more;

            @Override
            public boolean hasNext() {
                if (!ahead) {
                    more = c.next();
                    ahead = true;
                }
                return more;
            }

            @Override
            public Flow next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ahead = false;
                return c.load(r).flow();
            }
        };
    }

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

            @Override
            public FlowCursor cursor() {
                return FlowCursor.encoding(copy.iterator());
            }
        };
    }
}
