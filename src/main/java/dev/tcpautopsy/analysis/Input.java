package dev.tcpautopsy.analysis;

import java.nio.file.Path;

/**
 * One capture to analyze: a file, or standard input when {@code path} is {@code null}.
 *
 * @param name how reports name it: the path as the user gave it (or found under a directory), or {@code -}
 */
public record Input(String name, Path path) {
    public static final String STDIN = "-";

    public static Input stdin() {
        return new Input(STDIN, null);
    }

    public static Input of(Path path) {
        return new Input(path.toString(), path);
    }

    public boolean isStdin() {
        return path == null;
    }
}
