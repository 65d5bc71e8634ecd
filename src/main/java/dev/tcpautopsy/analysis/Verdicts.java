package dev.tcpautopsy.analysis;

import dev.tcpautopsy.flow.FlowFacts;
import dev.tcpautopsy.flow.HostContext;
import dev.tcpautopsy.model.Termination;

/**
 * How the pipeline obtains a verdict for a finished flow: the classifier behind a seam, so that the
 * pipeline's bookkeeping (deferral, filters, summaries) is tested on its own.
 */
interface Verdicts {

    /** The verdict on {@code facts}, given what the capture says about the hosts so far. */
    Termination classify(FlowFacts facts, HostContext hosts);

    /**
     * Whether the verdict may depend on other flows of the capture (TTL baselines of a host seen only
     * elsewhere, where the capture was taken) that have not said enough yet, so that it should wait
     * for the end of the capture.
     */
    boolean needsWholeCapture(FlowFacts facts, HostContext hosts);
}
