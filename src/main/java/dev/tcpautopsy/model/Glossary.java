package dev.tcpautopsy.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every name in the reports means (classes, {@code by}, tags, appView values, history letters,
 * JSON fields, CSV columns), read from {@code glossary.txt} beside this class: the one text that
 * docs/reference.md, the HTML report's legend and tooltips and the command's help are made from.
 */
public final class Glossary {
    /** The kinds of names, in the order the reference lists them. */
    public static final List<String> KINDS = List.of("class", "by", "tag", "appView", "history", "json", "csv");

    /**
     * One name's text: {@code short} (one line), and where they apply {@code wire}, {@code cause},
     * {@code apps}, {@code meaning} and {@code sample}.
     */
    public record Entry(String kind, String name, Map<String, String> text) {
        /** The text under {@code key}, or empty. */
        public String get(String key) {
            return text.getOrDefault(key, "");
        }

        /** The sample capture's path under the project (samples/...), or empty when there is none. */
        public Optional<String> sample() {
            String s = get("sample");
            return s.isEmpty() || s.startsWith("none") ? Optional.empty() : Optional.of(s.split(" ")[0]);
        }

        /** The options the sample is analyzed with ({@code --idle-threshold 2s}), or empty. */
        public List<String> sampleOptions() {
            String s = get("sample");
            if (sample().isEmpty() || !s.contains(" ")) {
                return List.of();
            }
            return List.of(s.substring(s.indexOf(' ') + 1).trim().split("\\s+"));
        }
    }

    private final List<Entry> entries;

    private Glossary(List<Entry> entries) {
        this.entries = entries.stream()
                .map(e -> new Entry(e.kind(), e.name(), java.util.Collections.unmodifiableMap(e.text()))).toList();
    }

    /** The glossary that ships with tcpautopsy, read on first use. */
    public static Glossary standard() {
        return Standard.GLOSSARY;
    }

    private static final class Standard {
        static final Glossary GLOSSARY = read();
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The entries of one kind, in the file's order. */
    public List<Entry> entries(String kind) {
        return entries.stream().filter(e -> e.kind().equals(kind)).toList();
    }

    public Optional<Entry> entry(String kind, String name) {
        return entries.stream().filter(e -> e.kind().equals(kind) && e.name().equals(name)).findFirst();
    }

    /** The one-line text of a name, or empty when it has none. */
    public String shortText(String kind, String name) {
        return entry(kind, name).map(e -> e.get("short")).orElse("");
    }

    private static Glossary read() {
        try (InputStream in = Glossary.class.getResourceAsStream("glossary.txt")) {
            if (in == null) {
                throw new IllegalStateException("glossary.txt is missing from the jar");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the file's lines (see the head of glossary.txt for the format). */
    static Glossary parse(List<String> lines) {
        List<Entry> out = new ArrayList<>();
        Map<String, String> text = null;
        String key = null;
        int n = 0;
        for (String line : lines) {
            n++;
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            if (line.startsWith("== ")) {
                String[] head = line.substring(3).trim().split(" ", 2);
                if (head.length != 2 || !KINDS.contains(head[0])) {
                    throw new IllegalArgumentException("glossary.txt line " + n + ": expected '== KIND NAME' with KIND one of "
                            + KINDS + ", got '" + line + "'");
                }
                text = new LinkedHashMap<>();
                out.add(new Entry(head[0], head[1].trim(), text));
                key = null;
            } else if (line.startsWith(" ") && key != null) {
                text.put(key, text.get(key) + " " + line.trim());
            } else if (text != null && line.indexOf(": ") > 0) {
                key = line.substring(0, line.indexOf(": "));
                text.put(key, line.substring(line.indexOf(": ") + 2).trim());
            } else {
                throw new IllegalArgumentException("glossary.txt line " + n + ": expected 'key: text', got '" + line + "'");
            }
        }
        return new Glossary(out);
    }
}
