package dev.tcpautopsy.cli;

/** The exit statuses of the command line contract (terminations.md), plus one for our own failures. */
public final class ExitCodes {
    /** Every input was read to its end and the reports were written. */
    public static final int OK = 0;
    /** Some input could not be read (fully); the others were analyzed and reported. */
    public static final int INPUT_UNREADABLE = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;
    /** The reports could not be written (disk full, no permission), or tcpautopsy itself failed. */
    public static final int FAILURE = 3;

    private ExitCodes() {
    }
}
