package dev.tcpautopsy.analysis;

import dev.tcpautopsy.classify.TerminationClassifier;
import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.HostContext;
import dev.tcpautopsy.model.Termination;

import java.time.Duration;

/** The pipeline's verdicts: the termination classifier behind the {@link Verdicts} seam. */
final class ClassifierVerdicts implements Verdicts {
    private final TerminationClassifier classifier;

    ClassifierVerdicts(Duration idleThreshold) {
        this.classifier = new TerminationClassifier(idleThreshold);
    }

    @Override
    public Termination classify(FlowFacts facts, HostContext hosts) {
        return classifier.classify(facts, hosts);
    }

    @Override
    public boolean needsWholeCapture(FlowFacts facts, HostContext hosts) {
        return TerminationClassifier.needsWholeCapture(facts, hosts);
    }
}
