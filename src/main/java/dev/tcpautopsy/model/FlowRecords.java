package dev.tcpautopsy.model;

import java.util.ArrayList;
import java.util.List;

/** Builds the model {@link Flow} of a {@link FlowRecord}, for the formats that want objects. */
final class FlowRecords {
    private FlowRecords() {
    }

    static Flow flow(FlowRecord r) {
        List<Evidence> evidence = new ArrayList<>(r.evidenceCount());
        for (int i = 0; i < r.evidenceCount(); i++) {
            evidence.add(new Evidence(r.evidenceFrame(i), r.evidenceNote(i).toString(), r.headerDump(i)));
        }
        List<Tag> tags = new ArrayList<>(r.tagCount());
        for (int i = 0; i < r.tagCount(); i++) {
            tags.add(r.tag(i));
        }
        String reason = r.reason().toString();
        if (r.reasonClause() != null) {
            reason = reason + r.reasonClause();
        }
        AppView view = r.hasAppView() ? new AppView(r.sawClient().toString(), r.sawServer().toString()) : null;
        Termination t = new Termination(r.cls(), r.by(), reason, r.filter().toString(), evidence, tags, view);
        IdleGap idle = r.hasLongestIdle() ? new IdleGap(r.idleSeconds(), r.idleAfterFrame(), r.idleBeforeFrame()) : null;
        return new Flow(r.stream(), new Endpoint(r.clientIp().toString(), r.clientPort()),
                new Endpoint(r.serverIp().toString(), r.serverPort()), r.firstFrame(), r.lastFrame(), r.start(), r.end(),
                r.handshakeSeen(), r.halfClosed(), t, r.fromClient().stats(), r.fromServer().stats(), r.handshakeRttMicros(),
                idle, r.history().toString(), r.transitions(), r.lastPackets(), r.app().context());
    }
}
