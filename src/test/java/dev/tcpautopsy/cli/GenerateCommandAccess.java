package dev.tcpautopsy.cli;

/** Lets tests in other packages reach {@code GenerateCommand}'s package-private parser. */
public final class GenerateCommandAccess {
    private GenerateCommandAccess() {
    }

    public static long parseSize(String s) {
        return GenerateCommand.parseSize(s);
    }
}
