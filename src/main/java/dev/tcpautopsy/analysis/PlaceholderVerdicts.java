package dev.tcpautopsy.analysis;

import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.HostContext;
import dev.tcpautopsy.model.AppView;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.TerminationClass;

import java.util.ArrayList;
import java.util.List;

/**
 * TEMPORARY stand-in for the termination classifier (package {@code classify}) until it lands: it
 * only tells flows that ended with FIN or RST from flows still open, so that the pipeline and the
 * reports can be exercised end to end. Its verdicts are not the contract's classes.
 */
final class PlaceholderVerdicts implements Verdicts {

    @Override
    public Termination classify(FlowFacts f, HostContext hosts) {
        TerminationClass cls;
        List<Evidence> evidence = new ArrayList<>();
        long rst = firstNonZero(f.client().rstFrame(), f.server().rstFrame());
        boolean bothFins = f.client().finFrame() != 0 && f.server().finFrame() != 0;
        if (rst != 0) {
            cls = TerminationClass.UNCLASSIFIED;
            evidence.add(new Evidence(rst, "RST"));
        } else if (bothFins && f.client().finAcked() && f.server().finAcked()) {
            cls = TerminationClass.FIN_ORDERLY;
            evidence.add(new Evidence(f.client().finFrame(), "FIN from client"));
            evidence.add(new Evidence(f.server().finFrame(), "FIN from server"));
        } else {
            cls = TerminationClass.OPEN_AT_END;
            evidence.add(new Evidence(f.lastFrame(), "last frame"));
        }
        List<Tag> tags = new ArrayList<>();
        if (f.portReused()) {
            tags.add(Tag.PORT_REUSE);
        }
        if (!f.handshakeSeen()) {
            tags.add(Tag.MIDSTREAM);
        }
        return new Termination(cls, By.UNKNOWN, "placeholder verdict (classifier not wired yet)",
                "tcp.stream eq " + f.stream(), evidence, tags, new AppView("none", "none"));
    }

    @Override
    public boolean needsWholeCapture(FlowFacts f) {
        return DeferralRule.needsWholeCapture(f);
    }

    private static long firstNonZero(long a, long b) {
        if (a == 0) {
            return b;
        }
        return b == 0 ? a : Math.min(a, b);
    }
}
