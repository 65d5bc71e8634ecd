package dev.tcpautopsy.cli;

import dev.tcpautopsy.analysis.Input;
import dev.tcpautopsy.capture.CaptureFormat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns the command line's PATHs into inputs: files as given, {@code -} as standard input, and
 * directories searched recursively for captures. Under a directory a file is a capture when its
 * first bytes are a pcap or pcapng magic (also inside gzip), or when its name says it is one
 * ({@code .pcap}, {@code .pcapng}, {@code .cap}, optionally {@code .gz}): such a file is kept even
 * when damaged, so that its damage gets reported rather than silently skipped.
 */
final class InputExpander {

    /**
     * The inputs, in command-line order (directories sorted by path), the files left out, and the
     * named paths that do not exist (they are inputs too: a report names them as unreadable).
     */
    record Expansion(List<Input> inputs, List<String> skipped, List<String> emptyDirectories, List<String> missing) {
        /** Whether every input is a path that does not exist: there is nothing to report on. */
        boolean allMissing() {
            return !missing.isEmpty() && missing.size() == inputs.size();
        }
    }

    private InputExpander() {
    }

    static Expansion expand(List<String> paths) {
        List<Input> inputs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (String p : paths) {
            if (Input.STDIN.equals(p)) {
                inputs.add(Input.stdin());
                continue;
            }
            Path path = Paths.get(p);
            if (!Files.isDirectory(path)) {
                // a named file is analyzed whatever it holds: if it is no capture, the report says so
                if (seen.add(path.toAbsolutePath().normalize())) {
                    inputs.add(new Input(p, path));
                    if (Files.notExists(path)) {
                        missing.add(p);
                    }
                }
                continue;
            }
            int before = inputs.size();
            for (Path file : walk(path, skipped)) {
                if (isCapture(file)) {
                    if (seen.add(file.toAbsolutePath().normalize())) {
                        inputs.add(Input.of(file));
                    }
                } else {
                    skipped.add(file.toString());
                }
            }
            if (inputs.size() == before) {
                empty.add(p);
            }
        }
        return new Expansion(List.copyOf(inputs), List.copyOf(skipped), List.copyOf(empty), List.copyOf(missing));
    }

    private static List<Path> walk(Path dir, List<String> skipped) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException | RuntimeException e) {
            // an unreadable subdirectory: name it; the readable part of the tree is still analyzed
            skipped.add(dir + " (" + e.getMessage() + ")");
            return List.of();
        }
    }

    /** Whether a file found under a directory should be analyzed. */
    static boolean isCapture(Path file) {
        return CaptureFormat.looksLikeCapture(file);
    }
}
