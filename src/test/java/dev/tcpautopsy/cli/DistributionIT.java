package dev.tcpautopsy.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distribution that {@code mvn package} leaves in {@code target/tcpautopsy-VERSION/} and its
 * archives, run as a person who put {@code bin/} on the PATH would: the launcher, its Java checks,
 * the class-data archive and the shell completion.
 */
class DistributionIT {
    static final String VERSION = System.getProperty("tcpautopsy.version", "0.1.0-SNAPSHOT");
    static final Path DIST = Paths.get(System.getProperty("tcpautopsy.dist", "target/tcpautopsy-" + VERSION));

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run run(Path dir, Map<String, String> env, List<String> cmd) throws IOException, InterruptedException {
        Path out = dir.resolve("stdout-" + System.nanoTime());
        Path err = dir.resolve("stderr-" + System.nanoTime());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("JAVA_OPTS");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "finished in time: " + cmd);
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private Run launcher(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(DIST.resolve("bin/tcpautopsy").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        return run(tmp, env, cmd);
    }

    @Test
    void theTreeHoldsWhatTheReadmeSays() {
        for (String f : List.of("bin/tcpautopsy", "bin/tcpautopsy.bat", "lib/tcpautopsy.jar", "completion/tcpautopsy.bash",
                "docs/reference.md", "LICENSE", "README.md")) {
            assertTrue(Files.isRegularFile(DIST.resolve(f)), f);
        }
        assertTrue(Files.isExecutable(DIST.resolve("bin/tcpautopsy")));
    }

    @Test
    void versionAndTheQuickStart() throws Exception {
        Run v = launcher(Map.of(), "--version");
        assertEquals(0, v.exit(), v.err());
        assertEquals("tcpautopsy " + VERSION, v.out().strip());
        assertEquals("", v.err());
        Path out = tmp.resolve("report");
        Run r = launcher(Map.of(), "analyze", "-f", "html,csv,json,md", "-o", out.toString(), EndToEnd.samples().toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err(), "nothing from the JVM, no progress line without a terminal");
        EndToEnd.checkSamples(out);
        assertTrue(r.out().contains(out.resolve("index.html").toString()), r.out());
    }

    /** A link to the launcher on the PATH (~/bin/tcpautopsy -> .../bin/tcpautopsy) finds its installation. */
    @Test
    void runsThroughASymbolicLink() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("home/bin"));
        Files.createSymbolicLink(bin.resolve("tcpautopsy"), DIST.resolve("bin/tcpautopsy").toAbsolutePath());
        Run r = run(tmp, Map.of("PATH", bin + ":" + System.getenv("PATH")), List.of("sh", "-c", "tcpautopsy --version"));
        Files.delete(bin.resolve("tcpautopsy"));
        assertEquals(0, r.exit(), r.err());
        assertEquals("tcpautopsy " + VERSION, r.out().strip());
    }

    @Test
    void javaHomeAndJavaOpts() throws Exception {
        Run bad = launcher(Map.of("JAVA_HOME", tmp.resolve("no-java").toString()), "--version");
        assertEquals(3, bad.exit());
        assertEquals(1, bad.err().lines().count(), bad.err());
        assertTrue(bad.err().contains("JAVA_HOME is " + tmp.resolve("no-java") + ", but it has no bin/java"), bad.err());
        Run good = launcher(Map.of("JAVA_HOME", System.getProperty("java.home")), "--version");
        assertEquals(0, good.exit(), good.err());
        // JAVA_OPTS reaches the JVM, after the launcher's own options: a property the command can see
        Run opts = launcher(Map.of("JAVA_OPTS", "-Xmx300m -XX:+PrintCommandLineFlags"), "--version");
        assertEquals(0, opts.exit(), opts.err());
        assertTrue(opts.out().contains("-XX:MaxHeapSize=314572800"), opts.out());
        assertTrue(opts.out().contains("-XX:TieredStopAtLevel=1") && opts.out().contains("-XX:+UseParallelGC"), opts.out());
        assertFalse(opts.out().contains("-XX:InitialHeapSize=536870912"), "a heap option in JAVA_OPTS replaces the launcher's");
        // promotion at once goes with the launcher's heap only (in a smaller one it fills the old generation),
        // and on fewer than 4 processors only (with tracking threads their queued work fills the heap)
        assertFalse(opts.out().contains("-XX:MaxTenuringThreshold=0"), opts.out());
        Run own = launcher(Map.of("JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "--version");
        assertEquals(0, own.exit(), own.err());
        if (own.out().contains("-XX:MaxTenuringThreshold=0")) {
            assertTrue(own.out().contains("-XX:InitialHeapSize=536870912"), own.out());
            assertTrue(Runtime.getRuntime().availableProcessors() < 4, own.out());
        }
    }

    /** The unpacked tree maps the archive built with it: the analysis's classes come from it, not from the jar. */
    @Test
    void theClassDataArchiveIsMapped() throws Exception {
        assertTrue(Files.isRegularFile(DIST.resolve("lib/tcpautopsy.jsa")), "mvn package builds it");
        Path log = tmp.resolve("classes.log");
        Run r = launcher(Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + log), "analyze", "-f", "json", "-o", "-",
                EndToEnd.samples().resolve("rst-abort-client.pcap").toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = Files.readAllLines(log);
        for (String cls : List.of("dev.tcpautopsy.analysis.CaptureJob ", "dev.tcpautopsy.report.json.JsonRenderer ",
                "picocli.CommandLine ")) {
            String line = lines.stream().filter(l -> l.contains(" " + cls)).findFirst().orElse("not loaded: " + cls);
            assertTrue(line.contains("source: shared objects file"), line);
        }
    }

    @Test
    void theArchivesUnpackIntoOneDirectoryWithoutTheClassDataArchive() throws Exception {
        Path tgz = DIST.resolveSibling("tcpautopsy-" + VERSION + ".tar.gz");
        Path zip = DIST.resolveSibling("tcpautopsy-" + VERSION + ".zip");
        Run t = run(tmp, Map.of(), List.of("tar", "tzvf", tgz.toAbsolutePath().toString()));
        assertEquals(0, t.exit(), t.err());
        assertTrue(t.out().lines().allMatch(l -> l.contains(" tcpautopsy-" + VERSION + "/")), t.out());
        assertTrue(t.out().lines().anyMatch(l -> l.startsWith("-rwxr-xr-x") && l.endsWith("/bin/tcpautopsy")), t.out());
        assertFalse(t.out().contains(".jsa"), "of use only where it was built");
        List<String> names = new ArrayList<>();
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
            z.stream().forEach(e -> names.add(e.getName()));
            try (InputStream bat = z.getInputStream(z.getEntry("tcpautopsy-" + VERSION + "/bin/tcpautopsy.bat"))) {
                assertTrue(new String(bat.readAllBytes(), StandardCharsets.US_ASCII).contains("\r\n"), "CRLF for cmd.exe");
            }
        }
        assertTrue(names.contains("tcpautopsy-" + VERSION + "/lib/tcpautopsy.jar"), names.toString());
        assertTrue(names.contains("tcpautopsy-" + VERSION + "/docs/reference.md"), names.toString());
        // unpacked elsewhere, the tree runs (the archive's absence costs only start-up time)
        assertEquals(0, run(tmp, Map.of(), List.of("tar", "xzf", tgz.toAbsolutePath().toString())).exit());
        Run v = run(tmp, Map.of(), List.of(tmp.resolve("tcpautopsy-" + VERSION + "/bin/tcpautopsy").toString(), "--version"));
        assertEquals(0, v.exit(), v.err());
        assertEquals("", v.err());
    }

    /** bash: the completion lists the commands and an analyze option; zsh through bashcompinit, when zsh is here. */
    @Test
    void completion() throws Exception {
        String script = DIST.resolve("completion/tcpautopsy.bash").toAbsolutePath().toString();
        Run bash = run(tmp, Map.of(), List.of("bash", "-c", "source '" + script + "'; "
                + "COMP_WORDS=(tcpautopsy an); COMP_CWORD=1; _complete_tcpautopsy; echo \"${COMPREPLY[*]}\"; "
                + "COMP_WORDS=(tcpautopsy analyze --idle); COMP_CWORD=2; _complete_tcpautopsy; echo \"${COMPREPLY[*]}\"; "
                + "COMP_WORDS=(tcpautopsy analyze --class RST_A); COMP_CWORD=3; _complete_tcpautopsy; echo \"${COMPREPLY[*]}\""));
        assertEquals(0, bash.exit(), bash.err());
        List<String> lines = bash.out().lines().toList();
        assertEquals("analyze", lines.get(0).strip());
        assertEquals("--idle-threshold", lines.get(1).strip());
        assertTrue(lines.get(2).contains("RST_AFTER_CLOSE") && lines.get(2).contains("RST_ABORT"), lines.get(2));
        boolean zsh = Files.isExecutable(Path.of("/usr/bin/zsh")) || Files.isExecutable(Path.of("/bin/zsh"));
        dev.tcpautopsy.testing.Needs.need(zsh, "zsh");
        Run z = run(tmp, Map.of(), List.of("zsh", "-c", "autoload -U compinit && compinit -u; source '" + script
                + "'; print -r -- ${_comps[tcpautopsy]}"));
        assertEquals(0, z.exit(), z.err());
        assertTrue(z.out().contains("_complete_tcpautopsy"), z.out() + z.err());
    }
}
