package dev.tcpautopsy.cli;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the class-data archive that the launcher maps ({@code lib/tcpautopsy.jsa}): {@code mvn package}
 * runs it for the unpacked tree, the container image for its own JVM and path. The JDK's and
 * tcpautopsy's classes are then mapped from one file instead of loaded and verified one by one
 * (bench/README.md has the figures).
 *
 * <p>{@code build ARCHIVE SAMPLES-DIR}: a training JVM lists the classes it loads while it runs
 * {@code train}; a second JVM dumps them into the archive. Java 17 maps an archive only in the JVM that
 * dumped it and with the jar at the same path, which is why it is built where it runs, not shipped.
 *
 * <p>{@code train SAMPLES-DIR OUT-DIR}: {@code analyze} into every report format and {@code show}, in one
 * JVM, so that the archive holds the classes of each command whichever formats are asked for; its
 * output goes nowhere.
 */
public final class ArchiveTraining {
    /** The collector must be the launcher's: an archive is dumped for one. */
    private static final String GC = "-XX:+UseParallelGC";

    private ArchiveTraining() {
    }

    public static void main(String[] args) throws IOException, InterruptedException, ClassNotFoundException {
        if (args.length == 3 && args[0].equals("train")) {
            train(Path.of(args[1]), args[2]);
        } else if (args.length == 3 && args[0].equals("build")) {
            build(Path.of(args[1]).toAbsolutePath(), Path.of(args[2]));
        } else {
            throw new IllegalArgumentException("usage: ArchiveTraining build ARCHIVE SAMPLES-DIR | train SAMPLES-DIR OUT-DIR");
        }
    }

    private static void build(Path archive, Path samples) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Path work = Files.createTempDirectory("tcpautopsy-cds");
        try {
            Path classes = work.resolve("classes.lst");
            run(List.of(java, "-XX:TieredStopAtLevel=1", GC, "-XX:DumpLoadedClassList=" + classes, "-cp", cp,
                    ArchiveTraining.class.getName(), "train", samples.toString(), work.resolve("out").toString()));
            Files.deleteIfExists(archive);
            run(List.of(java, GC, "-Xshare:dump", "-XX:SharedClassListFile=" + classes,
                    "-XX:SharedArchiveFile=" + archive, "-Xlog:disable", "-Xlog:all=error:stderr", "-cp", cp));
        } finally {
            try (var files = Files.walk(work)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).inheritIO().redirectOutput(
                ProcessBuilder.Redirect.to(new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null")))
                .start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            throw new IOException("exit status " + p.exitValue() + ": " + String.join(" ", cmd));
        }
    }

    private static void train(Path samples, String out) throws ClassNotFoundException {
        // the launcher's first class
        Class.forName("dev.tcpautopsy.launch.JavaVersionGate");
        PrintWriter nowhere = new PrintWriter(OutputStream.nullOutputStream());
        picocli.CommandLine cmd = TcpAutopsy.commandLine(new Environment(Engine.PIPELINE, OutputStream.nullOutputStream(),
                false));
        cmd.setOut(nowhere);
        cmd.setErr(nowhere);
        int analyzed = cmd.execute("analyze", "-f", "all", "-o", out, samples.toString());
        int shown = cmd.execute("show", samples.resolve("rst-unread-data-server.pcap").toString(), "--stream", "0");
        if (analyzed > ExitCodes.INPUT_UNREADABLE || shown != ExitCodes.OK) {
            throw new IllegalStateException("the training run failed: analyze " + analyzed + ", show " + shown);
        }
    }
}
