package dev.tcpautopsy.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The captures of an archive, as {@code tcpautopsy analyze} finds them, on any file system Hadoop reads
 * ({@code file://}, {@code hdfs://}, {@code s3a://}, ...). An input is a file, a directory (searched
 * recursively) or a glob. A file named on the command line is analyzed whatever it holds (the report
 * says when it is no capture); under a directory or a glob, a file is a capture when its name says so
 * ({@code .pcap}, {@code .pcapng}, {@code .cap}, optionally {@code .gz}, or a rotation counter after
 * them) or when it starts as one, so that a damaged capture is reported rather than silently skipped.
 */
final class Archive {
    private static final List<String> SUFFIXES = List.of(".pcap", ".pcapng", ".cap");

    private Archive() {
    }

    /** The files found, in input order (a directory's in path order), and the inputs where none was. */
    record Listing(List<Series.Piece> files, List<String> empty, List<String> skipped) {
    }

    static Listing list(List<String> inputs, Configuration conf) throws IOException {
        List<Series.Piece> files = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String input : inputs) {
            Path path = new Path(input);
            FileSystem fs = path.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(path);
            boolean glob = unglobbed(input).length() < input.length();
            if (matches == null || matches.length == 0) {
                if (glob) {
                    empty.add(input);
                } else if (seen.add(fs.makeQualified(path).toString())) {
                    // a missing file is analyzed all the same, so that the reports name it, as the command does
                    files.add(new Series.Piece(input, fs.makeQualified(path).toString(), -1));
                }
                continue;
            }
            int before = files.size();
            for (FileStatus m : matches) {
                if (m.isDirectory()) {
                    String prefix = (glob ? display(m.getPath(), input) : input).replaceAll("/+$", "");
                    for (FileStatus f : walk(fs, m.getPath())) {
                        String rel = m.getPath().toUri().relativize(f.getPath().toUri()).getPath();
                        add(files, skipped, seen, fs, f, prefix + "/" + rel, true);
                    }
                } else {
                    add(files, skipped, seen, fs, m, glob ? display(m.getPath(), input) : input, glob);
                }
            }
            if (files.size() == before) {
                empty.add(input);
            }
        }
        return new Listing(List.copyOf(files), List.copyOf(empty), List.copyOf(skipped));
    }

    private static void add(List<Series.Piece> files, List<String> skipped, Set<String> seen, FileSystem fs,
                            FileStatus f, String name, boolean found) throws IOException {
        if (found && !isCapture(fs, f, name)) {
            skipped.add(name);
        } else if (seen.add(f.getPath().toString())) {
            files.add(new Series.Piece(name, f.getPath().toString(), f.getLen()));
        }
    }

    private static List<FileStatus> walk(FileSystem fs, Path dir) throws IOException {
        List<FileStatus> out = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
        while (it.hasNext()) {
            out.add(it.next());
        }
        out.sort(Comparator.comparing(f -> f.getPath().toString()));
        return out;
    }

    static boolean hasCaptureName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        n = n.endsWith(".gz") ? n.substring(0, n.length() - 3) : n;
        n = n.replaceAll("\\d+$", "");
        for (String s : SUFFIXES) {
            if (n.endsWith(s)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isCapture(FileSystem fs, FileStatus f, String name) throws IOException {
        if (hasCaptureName(f.getPath().getName())) {
            return true;
        }
        try (FSDataInputStream in = fs.open(f.getPath())) {
            return Pipeline.looksLikeCapture(in, name);
        }
    }

    /** The part of an input before its first glob character. */
    private static String unglobbed(String input) {
        int i = 0;
        while (i < input.length() && "*?[{\\".indexOf(input.charAt(i)) < 0) {
            i++;
        }
        return input.substring(0, i);
    }

    /**
     * A match's name: where the input named a local file without a scheme, its path as the input spells
     * it (relative when the input was), else its full URI.
     */
    private static String display(Path match, String input) {
        if (new Path(input).toUri().getScheme() != null || !"file".equals(match.toUri().getScheme())) {
            return match.toString();
        }
        String abs = match.toUri().getPath();
        if (input.startsWith("/")) {
            return abs;
        }
        String cwd = new java.io.File("").getAbsoluteFile().toURI().getPath();
        return abs.startsWith(cwd) ? abs.substring(cwd.length()) : abs;
    }
}
