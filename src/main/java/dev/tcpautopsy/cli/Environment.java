package dev.tcpautopsy.cli;

import java.io.OutputStream;

/**
 * What the commands get from the outside world, so that tests can run them in-process.
 *
 * @param engine      runs the analysis
 * @param stdout      raw standard output, for reports written with {@code -o -}
 * @param interactive whether standard error is a terminal (progress lines are drawn only then)
 */
public record Environment(Engine engine, OutputStream stdout, boolean interactive) {

    /** The real pipeline, {@code System.out}, and a terminal check. */
    public static Environment system() {
        // System.console() is null as soon as stdin or stdout is redirected: a good enough proxy
        // for "a person is watching stderr", and the safe side when output is piped
        return new Environment(Engine.PIPELINE, System.out, System.console() != null);
    }
}
