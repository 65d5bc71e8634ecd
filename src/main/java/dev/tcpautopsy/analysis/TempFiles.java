package dev.tcpautopsy.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Temporary files of one analysis (spilled flow sets), in one directory made on first use. They are
 * deleted by {@link #close}, and at JVM exit in any case (a report may iterate its flows until then).
 */
final class TempFiles implements AutoCloseable {
    private final Path parent;
    private Path dir;
    private final List<Path> files = new ArrayList<>();

    TempFiles(Path parent) {
        this.parent = parent;
    }

    synchronized Path create(String prefix) throws IOException {
        if (dir == null) {
            dir = parent == null ? Files.createTempDirectory("tcpautopsy-") : Files.createTempDirectory(parent, "tcpautopsy-");
            dir.toFile().deleteOnExit();
        }
        Path f = Files.createTempFile(dir, prefix, ".bin");
        // registered after the directory, so deleted before it
        f.toFile().deleteOnExit();
        files.add(f);
        return f;
    }

    /** Files made so far (for tests). */
    synchronized List<Path> files() {
        return List.copyOf(files);
    }

    @Override
    public synchronized void close() {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // deleteOnExit still has it
            }
        }
        files.clear();
        if (dir != null) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // deleteOnExit still has it
            }
        }
    }
}
