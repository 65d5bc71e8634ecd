package dev.tcpautopsy.model;

import java.util.Iterator;

/**
 * The flows of a {@link FlowSet} one at a time in their encoded form ({@link FlowEncoder}), in stream order,
 * with what was learned of each after it was stored. Not thread-safe; each {@link FlowSet#cursor} is new.
 */
public interface FlowCursor {

    /** Moves to the next flow; false after the last. */
    boolean next();

    /** The encoded flow is {@code bytes()[offset() .. offset() + length())}, valid until the next {@link #next}. */
    byte[] bytes();

    int offset();

    int length();

    /** Whether the flow's 4-tuple was reused by a later connection ({@code PORT_REUSE}). */
    boolean portReusedLater();

    /** The clause its reason gains as one of a host's burst of endings ({@code HOST_BURST}), or {@code null}. */
    String burstClause();

    /** Reads the current flow into {@code r}. */
    default FlowRecord load(FlowRecord r) {
        return r.load(bytes(), offset(), portReusedLater(), burstClause());
    }

    /** Model flows encoded one at a time, as they come: nothing learned later. */
    static FlowCursor encoding(Iterator<Flow> flows) {
        FlowEncoder e = new FlowEncoder();
        return new FlowCursor() {
            @Override
            public boolean next() {
                if (!flows.hasNext()) {
                    return false;
                }
                e.encode(flows.next());
                return true;
            }

            @Override
            public byte[] bytes() {
                return e.bytes();
            }

            @Override
            public int offset() {
                return 0;
            }

            @Override
            public int length() {
                return e.length();
            }

            @Override
            public boolean portReusedLater() {
                return false;
            }

            @Override
            public String burstClause() {
                return null;
            }
        };
    }
}
