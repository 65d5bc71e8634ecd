package dev.tcpautopsy.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the packaged jar as a user would: {@code java -jar target/tcpautopsy.jar ...}. */
class JarIT {
    /** The class archive every test maps, built once: no build runs behind a test. */
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    @BeforeAll
    static void buildTheClassArchive() throws Exception {
        Path sample = EndToEnd.samples().resolve("fin-orderly-client-first.pcap").toAbsolutePath();
        Run first = jar(shared, java.util.Map.of(), "analyze", "-f", "json", "-o", "-", sample.toString());
        assertEquals(0, first.exit(), first.err());
        awaitArchive(shared.resolve("cache"));
    }

    /**
     * The files in the cache directory once the archive is built: the first run starts the build in a
     * detached JVM, which takes a few seconds after that run has ended.
     */
    private static List<Path> awaitArchive(Path cache) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            List<Path> files = files(cache);
            boolean built = files.stream().anyMatch(f -> f.toString().endsWith(ClassArchive.SUFFIX));
            boolean building = files.stream().anyMatch(f -> f.toString().endsWith(ClassArchive.BUILDING));
            if ((built && !building) || System.nanoTime() > end) {
                return files;
            }
            Thread.sleep(100);
        }
    }

    /** The entries of {@code dir}. */
    private static List<Path> files(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private Run jar(String... args) throws IOException, InterruptedException {
        return jar(java.util.Map.of(), args);
    }

    private Run jar(java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        return jar(tmp, env, args);
    }

    private static Run jar(Path dir, java.util.Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Path jar = Paths.get(System.getProperty("tcpautopsy.jar", "target/tcpautopsy.jar"));
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("stdout-" + System.nanoTime());
        Path err = dir.resolve("stderr-" + System.nanoTime());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // the class archive built for these tests, not the one in the home of whoever runs them
        pb.environment().put("TCPAUTOPSY_CACHE", shared.resolve("cache").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "finished in time");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void versionHelpAndUsage() throws Exception {
        Run v = jar("--version");
        assertEquals(0, v.exit());
        assertTrue(v.out().startsWith("tcpautopsy "), v.out());
        Run h = jar("analyze", "--help");
        assertEquals(0, h.exit());
        assertTrue(h.out().contains("--idle-threshold"));
        Run u = jar("analyze", "--format", "pdf", "x.pcap");
        assertEquals(2, u.exit());
        assertEquals(2, u.err().lines().count(), u.err());
    }

    @Test
    void samplesThroughTheJar() throws Exception {
        Path out = tmp.resolve("out");
        Run r = jar("analyze", "-f", "html,csv,json,md", "-o", out.toString(), EndToEnd.samples().toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err(), "no progress line when stderr is not a terminal");
        EndToEnd.checkSamples(out);
    }

    @Test
    void damagedBatchThroughTheJar() throws Exception {
        Path out = tmp.resolve("out");
        Run r = jar("analyze", "-f", "all", "-o", out.toString(), EndToEnd.damagedDirectory(tmp).toString());
        assertEquals(1, r.exit(), r.err());
        EndToEnd.checkDamaged(out, r.err());
    }

    @Test
    void jsonToStandardOutput() throws Exception {
        Run r = jar("analyze", "-f", "json", "-o", "-", EndToEnd.samples().resolve("fin-orderly-client-first.pcap").toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, EndToEnd.JSON.readTree(r.out()).get("captures").size());
    }

    /**
     * The first run lists its classes and a detached JVM builds the class archive from them (ClassArchive),
     * the next runs map it: the same reports, no word from the JVM on either stream, and one archive,
     * whatever the working directory.
     */
    @Test
    void theClassArchiveIsWrittenOnceAndThenUsed() throws Exception {
        Path sample = EndToEnd.samples().resolve("fin-orderly-client-first.pcap").toAbsolutePath();
        java.util.Map<String, String> own = java.util.Map.of("TCPAUTOPSY_CACHE", tmp.resolve("cache").toString());
        // a first run that analyzed nothing leaves no archive (it would lack the analysis's classes)
        assertEquals(0, jar(own, "analyze", "--help").exit());
        assertEquals(List.of(), files(tmp.resolve("cache")));
        Run first = jar(own, "analyze", "-f", "json", "-o", "-", sample.toString());
        assertEquals(0, first.exit(), first.err());
        assertEquals("", first.err());
        List<Path> archives = awaitArchive(tmp.resolve("cache"));
        assertEquals(1, archives.size(), archives.toString());
        assertTrue(archives.get(0).getFileName().toString().endsWith(".jsa"), archives.toString());
        for (int i = 0; i < 2; i++) {
            Run again = jar(own, "analyze", "-f", "json", "-o", "-", sample.toString());
            assertEquals(0, again.exit(), again.err());
            assertEquals("", again.err());
            com.fasterxml.jackson.databind.node.ObjectNode x = (com.fasterxml.jackson.databind.node.ObjectNode)
                    EndToEnd.JSON.readTree(first.out());
            com.fasterxml.jackson.databind.node.ObjectNode y = (com.fasterxml.jackson.databind.node.ObjectNode)
                    EndToEnd.JSON.readTree(again.out());
            x.remove("generated");
            y.remove("generated");
            assertEquals(x, y);
        }
        assertEquals(archives, files(tmp.resolve("cache")), "still the one archive, nothing left over");
        // the first run asked for JSON only, yet the archive holds the HTML renderer's classes too
        Path jarFile = Paths.get(System.getProperty("tcpautopsy.jar", "target/tcpautopsy.jar")).toAbsolutePath();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:SharedArchiveFile=" + archives.get(0), "-Xshare:auto", "-Xlog:class+load=info", "-cp",
                jarFile.toString(), "-D" + Relaunch.MARK + "=1", TcpAutopsy.class.getName(), "analyze", "-f", "html",
                "-o", tmp.resolve("html").toString(), sample.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
        assertTrue(log.contains("org.thymeleaf.TemplateEngine source: shared objects file"),
                log.lines().filter(l -> l.contains("org.thymeleaf.TemplateEngine ")).toList().toString());
    }

    /**
     * An archive damaged after it was kept crashes the JVM that maps it: the command still succeeds (run
     * again without it), says so, and the archive is gone, so that the next run builds a new one.
     */
    @Test
    void aDamagedArchiveIsDeletedAndTheCommandRunsAgain() throws Exception {
        long started = System.currentTimeMillis() - 2000;
        Path cache = tmp.resolve("cache");
        Files.createDirectories(cache);
        Path kept = files(shared.resolve("cache")).stream().filter(f -> f.toString().endsWith(ClassArchive.SUFFIX))
                .findFirst().orElseThrow();
        Path damaged = cache.resolve(kept.getFileName());
        byte[] bytes = Files.readAllBytes(kept);
        // a run of pages in the middle overwritten, as a bad disk or a stray writer would leave it
        for (int i = bytes.length / 3; i < bytes.length / 3 + (256 << 10); i++) {
            bytes[i] = (byte) 0xEF;
        }
        Files.write(damaged, bytes);
        java.util.Map<String, String> own = java.util.Map.of("TCPAUTOPSY_CACHE", cache.toString());
        Path sample = EndToEnd.samples().resolve("fin-orderly-client-first.pcap").toAbsolutePath();
        Run run = jar(own, "analyze", "-f", "csv", "-o", tmp.resolve("out").toString(), sample.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().contains("was damaged and the JVM stopped on it (its report is in " + cache
                + "): deleted; running again without it"), run.err());
        assertTrue(files(cache).stream().anyMatch(f -> f.getFileName().toString().startsWith("hs_err_pid")),
                "the JVM's report, kept apart");
        assertEquals(List.of(), files(Path.of("")).stream().filter(f -> f.getFileName().toString().startsWith("hs_err_pid")
                && f.toFile().lastModified() >= started).toList(), "nothing left in the working directory");
        assertTrue(Files.readString(tmp.resolve("out").resolve("flows.csv")).lines().count() == 2,
                "the header and the one connection");
        assertTrue(Files.notExists(damaged), "the damaged archive is gone");
        Run next = jar(own, "analyze", "-f", "csv", "-o", tmp.resolve("out2").toString(), sample.toString());
        assertEquals(0, next.exit(), next.err());
        assertEquals("", next.err());
        awaitArchive(cache);
        assertTrue(files(cache).stream().anyMatch(f -> f.getFileName().equals(kept.getFileName())), "built again");
    }

    /** java -jar runs analyze in a tuned JVM (Relaunch): same reports and status as in the JVM that was started. */
    @Test
    void theTunedJvmWritesTheSameReports() throws Exception {
        Path tuned = tmp.resolve("tuned"), same = tmp.resolve("same");
        Run a = jar("analyze", "-f", "csv,json", "-o", tuned.toString(), EndToEnd.samples().toString());
        Run b = jar(java.util.Map.of("TCPAUTOPSY_SAME_JVM", "1"), "analyze", "-f", "csv,json", "-o", same.toString(),
                EndToEnd.samples().toString());
        assertEquals(0, a.exit(), a.err());
        assertEquals(0, b.exit(), b.err());
        assertEquals(a.out().replace(tuned.toString(), ""), b.out().replace(same.toString(), ""));
        assertEquals(Files.readString(same.resolve("flows.csv")), Files.readString(tuned.resolve("flows.csv")));
        com.fasterxml.jackson.databind.node.ObjectNode x = (com.fasterxml.jackson.databind.node.ObjectNode)
                EndToEnd.JSON.readTree(tuned.resolve("report.json").toFile());
        com.fasterxml.jackson.databind.node.ObjectNode y = (com.fasterxml.jackson.databind.node.ObjectNode)
                EndToEnd.JSON.readTree(same.resolve("report.json").toFile());
        x.remove("generated");
        y.remove("generated");
        assertEquals(y, x);
        Run usage = jar("analyze", "--format", "pdf", "x.pcap");
        assertEquals(2, usage.exit(), "the tuned JVM's status is the command's");
    }
}
