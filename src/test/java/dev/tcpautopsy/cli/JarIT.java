package dev.tcpautopsy.cli;

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
    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    private Run jar(String... args) throws IOException, InterruptedException {
        return jar(java.util.Map.of(), args);
    }

    private Run jar(java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path dir = tmp;
        Path jar = Paths.get(System.getProperty("tcpautopsy.jar", "target/tcpautopsy.jar"));
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("stdout-" + System.nanoTime());
        Path err = dir.resolve("stderr-" + System.nanoTime());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
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
}
