package dev.tcpautopsy.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tuned JVM's heap options fit the heap this JVM was given, however small. */
class RelaunchTest {

    @Test
    void aLargeHeapGetsTheTunedSizes() {
        assertEquals(List.of("-Xms512m", "-Xmn64m", "-Xmx6144m"), Relaunch.heap(6144));
        assertEquals(List.of("-Xms400m", "-Xmn64m", "-Xmx400m"), Relaunch.heap(400));
    }

    @Test
    void aSmallHeapShrinksTheInitialHeapAndTheYoungGeneration() {
        // a container of 512 MiB: the JVM's default maximum is a quarter of it
        assertEquals(List.of("-Xms128m", "-Xmn64m", "-Xmx128m"), Relaunch.heap(128));
        assertEquals(List.of("-Xms100m", "-Xmn50m", "-Xmx100m"), Relaunch.heap(100));
    }

    @Test
    void aJvmStartsWithTheOptionsForEveryHeapSize() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        for (long mb : new long[] {24, 128, 300, 2048}) {
            List<String> cmd = new ArrayList<>(List.of(java.toString(), "-XX:+UseParallelGC"));
            cmd.addAll(Relaunch.heap(mb));
            cmd.add("-version");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the JVM did not exit");
            assertEquals(0, p.exitValue(), mb + " MiB: " + out);
            assertTrue(!out.contains("warning"), mb + " MiB: " + out);
        }
    }

    /** On Linux the arguments come from /proc/self/cmdline: the same as the process handle's, test JVM's own options included. */
    @Test
    void argumentsAreThoseOfTheProcessHandle() {
        String[] handle = ProcessHandle.current().info().arguments().orElseThrow();
        String[] own = Relaunch.arguments().orElseThrow();
        assertEquals(List.of(handle), List.of(own));
        assertTrue(own.length > 1, "a test JVM has options and a main class");
    }
}
