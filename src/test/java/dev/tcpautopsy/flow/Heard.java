package dev.tcpautopsy.flow;

import java.util.ArrayList;
import java.util.List;

/** What a tracker told its listener, in order: the finished flows' facts, and the streams reused later. */
record Heard(List<FlowFacts> flows, List<Long> reused) implements FlowListener {
    Heard() {
        this(new ArrayList<>(), new ArrayList<>());
    }

    @Override
    public void finished(FlowFacts facts, PacketHeaders headers) {
        flows.add(facts);
    }

    @Override
    public void reusedLater(long stream) {
        reused.add(stream);
    }
}
