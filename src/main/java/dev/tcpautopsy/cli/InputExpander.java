package dev.tcpautopsy.cli;

import dev.tcpautopsy.analysis.Input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Turns the command line's PATHs into inputs: files as given, {@code -} as standard input, and
 * directories searched recursively for captures. Under a directory a file is a capture when its
 * first bytes are a pcap or pcapng magic (also inside gzip), or when its name says it is one
 * ({@code .pcap}, {@code .pcapng}, {@code .cap}, optionally {@code .gz}): such a file is kept even
 * when damaged, so that its damage gets reported rather than silently skipped.
 */
final class InputExpander {

    /** The inputs, in command-line order (directories sorted by path), and the files left out. */
    record Expansion(List<Input> inputs, List<String> skipped, List<String> emptyDirectories) {
    }

    private static final Set<String> CAPTURE_SUFFIXES = Set.of(".pcap", ".pcapng", ".cap", ".pcap.gz",
            ".pcapng.gz", ".cap.gz");

    private InputExpander() {
    }

    static Expansion expand(List<String> paths) {
        List<Input> inputs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> empty = new ArrayList<>();
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
        return new Expansion(List.copyOf(inputs), List.copyOf(skipped), List.copyOf(empty));
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
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String suffix : CAPTURE_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                try (InputStream gz = new GZIPInputStream(Files.newInputStream(file))) {
                    return isCaptureMagic(gz.readNBytes(4));
                }
            }
            return isCaptureMagic(head);
        } catch (IOException e) {
            return false;
        }
    }

    /** pcap (microsecond and nanosecond, either byte order) or pcapng section header block. */
    static boolean isCaptureMagic(byte[] b) {
        if (b.length < 4) {
            return false;
        }
        long m = ((b[0] & 0xffL) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        return m == 0xa1b2c3d4L || m == 0xd4c3b2a1L || m == 0xa1b23c4dL || m == 0x4d3cb2a1L || m == 0x0a0d0d0aL;
    }
}
