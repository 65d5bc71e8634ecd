package dev.tcpautopsy.testing;

import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Tests that need something outside the project (the public corpus, tshark, the samples) skip
 * on a developer's machine that lacks it, but fail under CI (environment variable {@code CI}
 * set), where {@code .ci/run} provides all of it: a missing tool must never pass as a green run.
 */
public final class Needs {
    private Needs() {
    }

    public static void need(boolean present, String what) {
        if (!present && System.getenv("CI") != null) {
            fail("CI must provide " + what);
        }
        Assumptions.assumeTrue(present, "skipped: " + what + " is not available");
    }
}
