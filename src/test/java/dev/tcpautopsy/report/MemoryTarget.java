package dev.tcpautopsy.report;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A report target that keeps each file in memory, for renderer tests. */
public class MemoryTarget implements ReportTarget {
    private final Map<String, ByteArrayOutputStream> files = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

    @Override
    public OutputStream open(String fileName) {
        if (files.containsKey(fileName)) {
            throw new IllegalStateException(fileName + " opened twice");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        files.put(fileName, out);
        return out;
    }

    public String text(String fileName) {
        ByteArrayOutputStream out = files.get(fileName);
        if (out == null) {
            throw new AssertionError(fileName + " was not written; written: " + files.keySet());
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public Map<String, ByteArrayOutputStream> files() {
        return files;
    }
}
