package dev.tcpautopsy.synth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static dev.tcpautopsy.testing.Needs.need;

/** Wireshark's own reading of a generated capture: no malformed packet, no bad checksum, one stream a flow. */
class TsharkReadsTest {
    @TempDir
    Path dir;

    private static String tshark(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(args).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tshark did not finish");
        }
        return out;
    }

    private static boolean haveTshark() {
        try {
            return new ProcessBuilder("tshark", "-v").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void tsharkFindsNothingMalformedAndOneStreamPerFlow() throws Exception {
        need(haveTshark(), "tshark");
        for (boolean timestamps : new boolean[] {true, false}) {
            Path file = dir.resolve("mixed-" + timestamps + ".pcap");
            SynthResult r;
            try (OutputStream out = Files.newOutputStream(file)) {
                r = new Generator(GeneratorTest.MIXED.withNetwork(48, 0.02, 0.02, 0.3, timestamps)).write(out, null);
            }
            String expert = tshark("tshark", "-n", "-r", file.toString(), "-o", "tcp.check_checksum:TRUE",
                    "-o", "ip.check_checksum:TRUE", "-q", "-z", "expert,warn");
            for (String line : expert.split("\n")) {
                assertFalse(line.contains("Malformed") || line.contains("Checksum") || line.contains("Bad checksum"),
                        "tshark complains: " + line);
            }
            List<String> streams = List.of(tshark("tshark", "-n", "-r", file.toString(), "-T", "fields", "-e",
                    "tcp.stream").split("\n"));
            assertEquals(r.packets(), streams.size(), "every packet is TCP");
            assertEquals(r.flows(), streams.stream().distinct().count(), "tcp.stream count");
        }
    }
}
