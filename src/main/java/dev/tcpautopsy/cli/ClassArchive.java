package dev.tcpautopsy.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The application class-data archive (AppCDS) of the tuned JVM, kept in the user's cache directory.
 *
 * <p>Why: starting the tuned JVM, loading and verifying some 2,500 classes (picocli's reflection on
 * the commands, Jackson, the analysis) took about 0.1 s of every run, a tenth of the whole analysis
 * of a 1 GiB capture. With the classes mapped from an archive that part goes (0.30 to 0.21 s for a
 * one-connection capture, 1.31 to 1.21 s for bulk-1g, medians of four).
 *
 * <p>How, since Java 17 cannot create one by itself: the first run asks the JVM to write the classes
 * it loaded when it exits ({@code -XX:ArchiveClassesAtExit}, about 0.2 s more, once) into a file of
 * its own; the launching JVM then has the archive mapped by a trial JVM ({@code -Xshare:on -version})
 * and only when that succeeds moves it into place under a name made of the jar's path, size and
 * time and the JVM's version. Checking first matters: a truncated archive makes the JVM that maps
 * it crash instead of ignoring it. Every later run maps it; the JVM itself also refuses an archive
 * whose jar or JVM changed. The JVM's CDS messages are silenced, and all its warnings go to standard
 * error, because standard output may carry a report ({@code -o -}). The newest {@link #KEEP} archives
 * are kept (some 15 MB each).
 *
 * <p>The directory: {@code TCPAUTOPSY_CACHE}, else {@code $XDG_CACHE_HOME/tcpautopsy}, else
 * {@code ~/Library/Caches/tcpautopsy} on macOS, {@code %LOCALAPPDATA%\tcpautopsy} on Windows,
 * {@code ~/.cache/tcpautopsy} elsewhere. {@code TCPAUTOPSY_CACHE=off} turns the archive off.
 */
final class ClassArchive {
    static final String PREFIX = "classes-";
    static final String SUFFIX = ".jsa";
    static final int KEEP = 4;
    /** Do not start writing an archive with less free space than this. */
    private static final long MIN_FREE = 256L << 20;
    /** JVM logging: nothing from CDS (a refused archive is not the user's business), warnings to stderr. */
    static final List<String> QUIET = List.of("-Xlog:disable", "-Xlog:all=warning:stderr", "-Xlog:cds*=off:stderr");
    /**
     * Set (to {@code 1}) in the run that writes the archive: {@code analyze} then also renders its report
     * in the formats not asked for, into nothing, so that the archive holds the classes of every report
     * whatever the first run asked (a first {@code -f json} left some 960 classes of the HTML renderer out
     * of it, and every later HTML report loaded and verified them: 0.1 s of CPU on each run).
     */
    static final String WRITING = "tcpautopsy.archive.writing";

    private final Path dir;
    private final Path file;
    private final Path pending;

    private ClassArchive(Path dir, Path file, Path pending) {
        this.dir = dir;
        this.file = file;
        this.pending = pending;
    }

    /**
     * The archive for this jar and JVM, or empty when there is no cache directory to keep it in.
     *
     * @param env   the environment
     * @param props the system properties ({@code user.home}, {@code os.name}, {@code java.home}, {@code java.vm.version})
     * @param jar   the jar (or class directory) the tuned JVM runs from
     */
    static Optional<ClassArchive> locate(Map<String, String> env, Map<String, String> props, Path jar) {
        Optional<Path> dir = directory(env, props);
        if (dir.isEmpty() || !Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        String key;
        try {
            Path abs = jar.toAbsolutePath().normalize();
            key = abs + "|" + Files.size(abs) + "|" + Files.getLastModifiedTime(abs).toMillis() + "|"
                    + props.getOrDefault("java.home", "") + "|" + props.getOrDefault("java.vm.version", "");
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        Path file = dir.get().resolve(PREFIX + digest(key) + SUFFIX);
        return Optional.of(new ClassArchive(dir.get(), file,
                dir.get().resolve(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp")));
    }

    static Optional<Path> directory(Map<String, String> env, Map<String, String> props) {
        String own = env.get("TCPAUTOPSY_CACHE");
        if (own != null && !own.isBlank()) {
            return own.equals("off") || own.equals("0") ? Optional.empty() : Optional.of(Path.of(own));
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Optional.of(Path.of(xdg, "tcpautopsy"));
        }
        String os = props.getOrDefault("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String local = env.get("LOCALAPPDATA");
        if (os.startsWith("windows") && local != null && !local.isBlank()) {
            return Optional.of(Path.of(local, "tcpautopsy"));
        }
        String home = props.get("user.home");
        if (home == null || home.isBlank() || home.equals("?")) {
            return Optional.empty();
        }
        return Optional.of(os.startsWith("mac") ? Path.of(home, "Library", "Caches", "tcpautopsy")
                : Path.of(home, ".cache", "tcpautopsy"));
    }

    Path file() {
        return file;
    }

    /** Whether this run maps the archive (true) or may write it (false). */
    boolean ready() {
        return Files.isRegularFile(file);
    }

    /**
     * The JVM options for this run: map the archive, or write one at exit when it is missing and
     * there is room for it; empty when neither (the run goes on without).
     */
    List<String> options() {
        List<String> opts = new ArrayList<>(QUIET);
        if (ready()) {
            opts.add("-XX:SharedArchiveFile=" + file);
            return opts;
        }
        try {
            Files.createDirectories(dir);
            if (!Files.isWritable(dir) || Files.getFileStore(dir).getUsableSpace() < MIN_FREE) {
                return List.of();
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        opts.add("-XX:ArchiveClassesAtExit=" + pending);
        opts.add("-D" + WRITING + "=1");
        return opts;
    }

    /**
     * After a run that wrote the archive: has a trial JVM map it, keeps it when that succeeds, and
     * removes older archives. Never fails: at worst the next run writes it again.
     *
     * @param trial the command of the trial JVM without its CDS options (the java binary, the same
     *              JVM options, the class path)
     */
    void settle(List<String> trial) {
        if (!Files.isRegularFile(pending)) {
            return;
        }
        try {
            if (maps(trial)) {
                try {
                    Files.move(pending, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(pending, file, StandardCopyOption.REPLACE_EXISTING);
                }
                prune();
            }
        } catch (IOException | RuntimeException e) {
            // no archive this time
        } finally {
            try {
                Files.deleteIfExists(pending);
            } catch (IOException ignored) {
                // a leftover .tmp is removed by a later prune
            }
        }
    }

    private boolean maps(List<String> trial) throws IOException {
        Path crash = dir.resolve(pending.getFileName() + ".crash.log");
        List<String> cmd = new ArrayList<>(trial.subList(0, 1));
        cmd.addAll(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + pending, "-XX:ErrorFile=" + crash,
                "-XX:-CreateCoredumpOnCrash"));
        cmd.addAll(QUIET);
        cmd.addAll(trial.subList(1, trial.size()));
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        } finally {
            Files.deleteIfExists(crash);
        }
    }

    /** Keeps the newest archives and drops pending files of runs that did not finish an hour ago. */
    private void prune() throws IOException {
        List<Path> archives = new ArrayList<>();
        long hourAgo = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1);
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, PREFIX + "*")) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                if (n.endsWith(SUFFIX)) {
                    archives.add(p);
                } else if (Files.getLastModifiedTime(p).toMillis() < hourAgo) {
                    Files.deleteIfExists(p);
                }
            }
        }
        archives.sort(Comparator.comparing(ClassArchive::modified).reversed());
        for (Path old : archives.subList(Math.min(KEEP, archives.size()), archives.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /**
     * A 64-bit FNV-1a hash of the key, in hex. Not SHA-256 (nor String.format): loading the security
     * providers for it cost this JVM 33 ms on every run, before the tuned one could start. A collision would only
     * hand the JVM an archive of another jar, which it refuses on its own.
     */
    static String digest(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h = (h ^ key.charAt(i)) * 0x100000001b3L;
        }
        String hex = Long.toHexString(h);
        return "0".repeat(16 - hex.length()) + hex;
    }
}
