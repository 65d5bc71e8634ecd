package dev.tcpautopsy.classify;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One {@code samples/*.truth.tsv}: {@code #} header lines (with the optional {@code # idle-threshold: 2s}
 * and {@code # capture point:}), a header row, then one tab-separated row per TCP flow.
 */
public record SampleTruth(Path file, Path capture, Duration idleThreshold, String capturePoint, List<Row> rows) {

    /** One labelled flow; {@code tags} are those that must be present. */
    public record Row(InetAddress clientIp, int clientPort, InetAddress serverIp, int serverPort, String cls, String by,
               List<String> tags, String notes) {
        public String key() {
            return clientIp.getHostAddress() + ":" + clientPort + " -> " + serverIp.getHostAddress() + ":" + serverPort;
        }
    }

    public static SampleTruth read(Path file) throws IOException {
        Duration idle = null;
        String point = "";
        List<Row> rows = new ArrayList<>();
        boolean header = true;
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String body = line.substring(1).trim();
                if (body.startsWith("idle-threshold:")) {
                    idle = duration(body.substring("idle-threshold:".length()).trim());
                } else if (body.startsWith("capture point:")) {
                    point = body.substring("capture point:".length()).trim();
                }
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            String[] f = line.split("\t", -1);
            List<String> tags = f[6].isBlank() ? List.of() : Arrays.stream(f[6].split(",")).map(String::trim).toList();
            rows.add(new Row(ip(f[0]), Integer.parseInt(f[1]), ip(f[2]), Integer.parseInt(f[3]), f[4], f[5], tags,
                    f.length > 7 ? f[7] : ""));
        }
        return new SampleTruth(file, captureOf(file), idle, point, rows);
    }

    private static Path captureOf(Path truth) throws IOException {
        String base = truth.getFileName().toString().replace(".truth.tsv", "");
        try (var s = Files.list(truth.getParent())) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(base + ".") && !n.endsWith(".tsv"); // .truth.tsv, .app.tsv
            }).findFirst().orElseThrow(() -> new IOException("no capture next to " + truth));
        }
    }

    public static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s.trim());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + s, e);
        }
    }

    /** {@code 2s}, {@code 500ms}, {@code 5m}. */
    static Duration duration(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("bad duration " + s);
        };
    }
}
