package dev.tcpautopsy.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code analyze} and {@code show} in a JVM tuned for a short batch job when plain
 * {@code java -jar tcpautopsy.jar} started this one with the server defaults.
 *
 * <p>Why: those defaults suit a long-running server, not a command that reads a capture for a few
 * seconds. The optimizing compiler (C2) spent as much CPU as the analysis itself compiling code that
 * runs for a second (on 2 cores it competes with the analysis threads), and G1 grew its heap with
 * the rate of allocation rather than with what is live, so peak memory followed the capture's size.
 * A jar's manifest cannot carry JVM options, so this JVM starts the tuned one (about 40 ms) with the
 * same arguments, standard streams and environment, and exits with its status:
 * {@code -XX:TieredStopAtLevel=1} (the quick compiler only: on the benchmark captures, up to 10 GiB,
 * it finishes sooner in total), {@code -XX:+UseParallelGC -Xms512m -Xmn64m -XX:MinHeapFreeRatio=20} (a
 * small young generation, since almost everything dies young, and an old one that grows only with
 * what stays live; 64 MB rather than 32 because a capture of many short connections keeps tens of
 * thousands of them half-open, and with 32 MB they were copied at every collection: churn-256m
 * 9.9 s with 32 MB, 8.7 s with 64, bulk-1g 146 MiB peak with 32, 171 with 64; the parallel
 * collector rather than the serial one because those copies then use both cores while the
 * analysis threads wait: churn-256m 7.98 to 7.39 s, bulk-10g 10.7 to 8.9 s, bulk-1g the same,
 * peak memory 5 % more), and the maximum heap this JVM was given, so nothing that fits now fails to
 * fit then (see {@link #heap}).
 *
 * <p>The tuned JVM maps the application's classes from an archive in the user's cache directory,
 * built after the first run ({@link ClassArchive}): 0.1 s less on every later run. An archive damaged
 * after it was kept makes the JVM that maps it crash (exit status 134; the JVM's report of the crash
 * goes into the cache directory): this JVM then deletes it and runs the command once more without
 * it, unless an argument is {@code -} (standard input is consumed, or standard output already has the
 * crash report).
 *
 * <p>It does nothing when JVM options were given (on the command line, in {@code JAVA_TOOL_OPTIONS}
 * or {@code JDK_JAVA_OPTIONS}): whoever chose options keeps them. {@code TCPAUTOPSY_SAME_JVM=1}
 * turns it off, and if the JVM binary cannot be started the command simply runs here.
 */
final class Relaunch {
    /** Marks the tuned JVM, so that it never starts another. */
    static final String MARK = "tcpautopsy.tuned";
    /** The status of a JVM that crashed: it aborts (SIGABRT) after writing its hs_err file. */
    static final int JVM_CRASH = 128 + 6;
    /** What {@link #runChild} returns when the JVM could not be started (the command then runs in this one). */
    private static final int NOT_STARTED = -1;

    private Relaunch() {
    }

    /** Runs the command in a tuned JVM and returns its exit status, or empty to run it in this one. */
    static Optional<Integer> run(String[] args) {
        if (args.length == 0 || !(args[0].equals("analyze") || args[0].equals("show"))
                || System.getProperty(MARK) != null || set("TCPAUTOPSY_SAME_JVM") || set("JAVA_TOOL_OPTIONS")
                || set("JDK_JAVA_OPTIONS")) {
            return Optional.empty();
        }
        Optional<String[]> own = arguments();
        // exactly "java -jar FILE ...": any option before -jar means someone chose how to run the JVM
        if (own.isEmpty() || own.get().length < 2 || !own.get()[0].equals("-jar")) {
            return Optional.empty();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (!Files.isExecutable(java)) {
            return Optional.empty();
        }
        Path jar = Path.of(System.getProperty("java.class.path")).toAbsolutePath();
        // the class path absolute, so that the class archive (recorded with it) serves from any directory
        List<String> jvm = new ArrayList<>(List.of(java.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC"));
        jvm.addAll(heap(Runtime.getRuntime().maxMemory() >> 20));
        jvm.addAll(List.of("-XX:MinHeapFreeRatio=20", "-D" + MARK + "=1", "-cp", jar.toString()));
        Optional<ClassArchive> archive = ClassArchive.locate(System.getenv(), properties(), jar);
        List<String> cmd = new ArrayList<>(jvm.subList(0, 1));
        archive.ifPresent(a -> cmd.addAll(a.options()));
        cmd.addAll(jvm.subList(1, jvm.size()));
        cmd.add(TcpAutopsy.class.getName());
        cmd.addAll(List.of(args));
        int code = runChild(cmd);
        if (code == NOT_STARTED) {
            return Optional.empty();
        }
        if (code == JVM_CRASH && archive.isPresent() && archive.get().mappedBy(cmd)) {
            // the JVM stopped on the archive, not on the capture: mend the cache, and run once more without it
            archive.get().discard();
            boolean again = !List.of(args).contains("-");
            System.err.println("tcpautopsy: the class archive " + archive.get().file() + " was damaged and the JVM "
                    + "stopped on it (its report is in " + archive.get().directory() + "): deleted"
                    + (again ? "; running again without it" : "; run the command again"));
            if (again) {
                int second = runChild(archive.get().unmapped(cmd));
                return second == NOT_STARTED ? Optional.empty() : Optional.of(second);
            }
            return Optional.of(code);
        }
        archive.ifPresent(a -> a.settle(jvm));
        return Optional.of(code);
    }

    /** Runs the tuned JVM with this JVM's standard streams and returns its exit status. */
    private static int runChild(List<String> cmd) {
        Process child;
        try {
            child = new ProcessBuilder(cmd).inheritIO().start();
        } catch (IOException | RuntimeException e) {
            return NOT_STARTED;
        }
        // this JVM stopped (kill, or the end of a terminal session): the tuned one stops with it
        Thread stop = new Thread(child::destroy, "tcpautopsy-stop-child");
        Runtime.getRuntime().addShutdownHook(stop);
        while (true) {
            try {
                int code = child.waitFor();
                Runtime.getRuntime().removeShutdownHook(stop);
                return code;
            } catch (InterruptedException e) {
                child.destroy();
            }
        }
    }

    /**
     * This JVM's arguments after the program name, as {@code ProcessHandle.Info.arguments()} gives them.
     * On Linux from {@code /proc/self/cmdline}: the process handle's answer costs some 10 ms on the way
     * to every analysis (it also looks up the user's name and the process times).
     */
    static Optional<String[]> arguments() {
        Path cmdline = Path.of("/proc/self/cmdline");
        if (Files.isReadable(cmdline)) {
            try {
                // each argument ends with a NUL, an empty one too
                String[] all = new String(Files.readAllBytes(cmdline)).split("\0", -1);
                if (all.length > 1) {
                    return Optional.of(Arrays.copyOfRange(all, 1, all.length - 1));
                }
            } catch (IOException | RuntimeException e) {
                // as if it were not there
            }
        }
        return ProcessHandle.current().info().arguments();
    }

    /**
     * The heap options for a maximum heap of {@code maxMb} MiB (this JVM's): 512 MiB to start with and a
     * 64 MiB young generation, less where the maximum is smaller (a container of 512 MiB gives the JVM
     * 128 MiB; an initial heap above the maximum would stop the JVM from starting). Starting at 320 rather
     * than 160 MiB spared the collections that grow the old generation (churn-256m: 3 full collections
     * and some 600 ms of pauses, then 1 and 510 ms), and 512 rather than 320 spares the last one (a
     * 107 ms pause: churn-256m 4.35 to 4.28 s, CPU 7.62 to 7.38 s, medians of seven); a heap is
     * reserved, not touched, so peak memory stays near where the analysis puts it (churn-256m 381 to
     * 405 MiB, the garbage the full collection freed; bulk-steady-10g 221 to 235 MiB).
     */
    static List<String> heap(long maxMb) {
        long max = Math.max(maxMb, 16);
        long initial = Math.min(512, max);
        long young = Math.min(64, initial / 2);
        return List.of("-Xms" + initial + "m", "-Xmn" + young + "m", "-Xmx" + max + "m");
    }

    private static Map<String, String> properties() {
        Map<String, String> p = new HashMap<>();
        for (String k : List.of("user.home", "os.name", "java.home", "java.vm.version")) {
            String v = System.getProperty(k);
            if (v != null) {
                p.put(k, v);
            }
        }
        return p;
    }

    private static boolean set(String name) {
        String v = System.getenv(name);
        return v != null && !v.isBlank() && !(name.equals("TCPAUTOPSY_SAME_JVM") && v.equals("0"));
    }
}
