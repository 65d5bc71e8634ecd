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
 * The class-data archive (CDS) of the tuned JVM, kept in the user's cache directory.
 *
 * <p>Why: starting the tuned JVM, loading and verifying some 3,300 classes (picocli's reflection on
 * the commands, Jackson, the analysis) took about 0.1 s of every run, a tenth of the whole analysis
 * of a 1 GiB capture. With the classes mapped from an archive that part goes (a one-connection
 * capture, whole process: 0.37 s without, 0.27 s with it, medians of seven).
 *
 * <p>A static archive (the JDK's classes and ours in one file, {@code -Xshare:dump} from the list of
 * classes a run loaded) rather than the dynamic one a JVM writes at exit
 * ({@code -XX:ArchiveClassesAtExit}): Java 17's dynamic archive leaves out classes compiled for Java 5,
 * and picocli's 180 are, so every run loaded and verified them from the jar (the one-connection
 * capture 0.28 s with the dynamic archive, 0.24 s with the static one; bulk-1g 1.25 and 1.19 s;
 * medians of nine and seven, the two alternating).
 *
 * <p>How: the first run lists the classes it loads ({@code -XX:DumpLoadedClassList}); when it has
 * exited, the launching JVM starts a detached JVM ({@link #main}) that dumps the archive from that list
 * (some 2.5 s of one core, which nobody waits for), has it mapped by a trial JVM
 * ({@code -Xshare:on -version}) and only when that succeeds moves it into place under a name made of
 * the jar's path, size and time and the JVM's version. Checking first matters: a truncated archive
 * makes the JVM that maps it crash instead of ignoring it. A marker file says a build is under way,
 * so that runs meanwhile neither list their classes again nor start a second build. Every later run
 * maps the archive; the JVM itself also refuses an archive whose jar or JVM changed. The JVM's CDS
 * messages are silenced, and all its warnings go to standard error, because standard output may carry
 * a report ({@code -o -}). The newest {@link #KEEP} archives are kept (some 30 MB each).
 *
 * <p>The directory: {@code TCPAUTOPSY_CACHE}, else {@code $XDG_CACHE_HOME/tcpautopsy}, else
 * {@code ~/Library/Caches/tcpautopsy} on macOS, {@code %LOCALAPPDATA%\tcpautopsy} on Windows,
 * {@code ~/.cache/tcpautopsy} elsewhere. {@code TCPAUTOPSY_CACHE=off} turns the archive off.
 */
final class ClassArchive {
    static final String PREFIX = "classes-";
    static final String SUFFIX = ".jsa";
    static final String BUILDING = ".building";
    static final int KEEP = 4;
    /** Do not start writing an archive with less free space than this. */
    private static final long MIN_FREE = 256L << 20;
    /** A younger marker is a build under way; an older one was left by a build that died. */
    private static final long BUILD_TIME = TimeUnit.MINUTES.toMillis(10);
    /** JVM logging: nothing from CDS (a refused archive is not the user's business), warnings to stderr. */
    static final List<String> QUIET = List.of("-Xlog:disable", "-Xlog:all=warning:stderr", "-Xlog:cds*=off:stderr");
    /**
     * Set (to {@code 1}) in the run that lists its classes: {@code analyze} then also renders its report
     * in the formats not asked for, into nothing, so that the archive holds the classes of every report
     * whatever the first run asked (a first {@code -f json} left some 960 classes of the HTML renderer out
     * of it, and every later HTML report loaded and verified them: 0.1 s of CPU on each run).
     */
    static final String WRITING = "tcpautopsy.archive.writing";
    /** Classes in the list of a run that analyzed a capture and rendered the HTML report (see {@link #analyzed}). */
    private static final List<String> ANALYZED = List.of("dev/tcpautopsy/analysis/CaptureJob",
            "dev/tcpautopsy/report/html/HtmlRenderer");

    private final Path dir;
    private final Path file;
    private final Path classes;
    private final Path pending;
    private final Path building;

    private ClassArchive(Path dir, Path file) {
        this.dir = dir;
        this.file = file;
        String name = file.getFileName().toString();
        long pid = ProcessHandle.current().pid();
        this.classes = dir.resolve(name + "." + pid + ".classlist");
        this.pending = dir.resolve(name + "." + pid + ".tmp");
        this.building = dir.resolve(name + BUILDING);
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
        return Optional.of(new ClassArchive(dir.get(), dir.get().resolve(PREFIX + digest(key) + SUFFIX)));
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

    /** Where this run's archive is dumped before the trial JVM has mapped it. */
    Path pending() {
        return pending;
    }

    /** Whether this run maps the archive (true) or may list its classes for one (false). */
    boolean ready() {
        return Files.isRegularFile(file);
    }

    /** Whether another run's build of the archive is under way. */
    boolean building() {
        try {
            return System.currentTimeMillis() - Files.getLastModifiedTime(building).toMillis() < BUILD_TIME;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The JVM options for this run: map the archive, or list the loaded classes for one when it is
     * missing, no build is under way and there is room for it; only {@link #QUIET} when neither.
     */
    List<String> options() {
        List<String> opts = new ArrayList<>(QUIET);
        if (ready()) {
            opts.add(mapping());
            // should the archive be damaged, the JVM's crash report goes here rather than into the user's directory
            opts.add("-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"));
            return opts;
        }
        if (building()) {
            return opts;
        }
        try {
            Files.createDirectories(dir);
            if (!Files.isWritable(dir) || Files.getFileStore(dir).getUsableSpace() < MIN_FREE) {
                return opts;
            }
        } catch (IOException | RuntimeException e) {
            return opts;
        }
        opts.add("-XX:DumpLoadedClassList=" + classes);
        opts.add("-D" + WRITING + "=1");
        return opts;
    }

    Path directory() {
        return dir;
    }

    /** The option that maps this archive. */
    private String mapping() {
        return "-XX:SharedArchiveFile=" + file;
    }

    /** Whether these tuned-JVM options map this archive. */
    boolean mappedBy(List<String> options) {
        return options.contains(mapping());
    }

    /** The tuned JVM's command without the option that maps this archive. */
    List<String> unmapped(List<String> command) {
        List<String> c = new ArrayList<>(command);
        c.remove(mapping());
        return c;
    }

    /**
     * Deletes the archive after the JVM that mapped it crashed: an archive damaged after it was kept
     * (the disk, or a program writing into the cache) makes every JVM that maps it crash. The next
     * run lists its classes again and a new archive is built.
     */
    void discard() {
        delete(file);
    }

    /**
     * After the run that listed its classes: starts the detached JVM that builds the archive from the
     * list ({@link #main}) and returns at once. Never fails: at worst a later run lists them again.
     *
     * @param tuned the command of the tuned JVM without its CDS options (the java binary, its JVM
     *              options, {@code -cp} and the jar)
     */
    void settle(List<String> tuned) {
        int cp = tuned.indexOf("-cp");
        if (!analyzed(classes) || cp < 0 || cp + 1 >= tuned.size()) {
            delete(classes);
            return;
        }
        try {
            Files.writeString(building, Long.toString(ProcessHandle.current().pid()));
            List<String> cmd = new ArrayList<>(List.of(tuned.get(0), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Xmx64m"));
            cmd.addAll(QUIET);
            cmd.addAll(List.of("-cp", tuned.get(cp + 1), ClassArchive.class.getName(), file.toString(),
                    classes.toString()));
            cmd.addAll(tuned);
            Process builder = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            builder.getOutputStream().close();
        } catch (IOException | RuntimeException e) {
            delete(classes);
            delete(building);
        }
    }

    /**
     * The detached builder: {@code ARCHIVE CLASSLIST TUNED-COMMAND...}. Dumps the archive from the class
     * list with the tuned JVM's options and class path, then keeps it as {@link #keep} does.
     */
    public static void main(String[] args) {
        if (args.length < 3) {
            return;
        }
        Path file = Path.of(args[0]);
        ClassArchive a = new ClassArchive(file.getParent(), file);
        a.build(Path.of(args[1]), List.of(args).subList(2, args.length));
    }

    /** Dumps the archive from the class list, keeps it if a trial JVM maps it, and clears up. */
    void build(Path classList, List<String> tuned) {
        Path marker = building;
        try {
            List<String> cmd = new ArrayList<>(tuned.subList(0, 1));
            cmd.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + pending));
            cmd.addAll(QUIET);
            cmd.addAll(tuned.subList(1, tuned.size()));
            if (run(cmd, TimeUnit.MINUTES.toSeconds(5))) {
                keep(tuned);
            }
        } catch (IOException | RuntimeException e) {
            // no archive this time
        } finally {
            delete(classList);
            delete(pending);
            delete(marker);
        }
    }

    /**
     * Has a trial JVM map the pending archive, moves it into place when that succeeds and removes
     * older archives. Never fails: at worst the next run lists its classes again.
     *
     * @param trial the command of the trial JVM without its CDS options (the java binary, the same
     *              JVM options, the class path)
     */
    void keep(List<String> trial) {
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
            delete(pending);
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
        try {
            return run(cmd, 30);
        } finally {
            Files.deleteIfExists(crash);
        }
    }

    /** Runs a JVM to its end, its output discarded: whether it exited with 0 within the time. */
    private static boolean run(List<String> cmd, long seconds) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Whether the run that wrote the class list analyzed captures and rendered reports: a first run that
     * only printed its help, stopped at a mistyped option or ran {@code show} would make an archive
     * without the analysis, kept until the jar changes.
     */
    static boolean analyzed(Path classList) {
        try (java.util.stream.Stream<String> lines = Files.lines(classList)) {
            // a line is a class name, then (in some JVMs) its attributes after a space
            return lines.map(l -> l.split(" ", 2)[0]).filter(ANALYZED::contains).distinct().limit(ANALYZED.size())
                    .count() == ANALYZED.size();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException | RuntimeException ignored) {
            // a leftover is removed by a later prune
        }
    }

    /** Keeps the newest archives and drops the files of builds that did not finish an hour ago. */
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
