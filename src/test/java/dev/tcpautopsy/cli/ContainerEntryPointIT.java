package dev.tcpautopsy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container image's entry point, run without Docker (none runs in CI): the Dockerfile's
 * {@code ENTRYPOINT}, {@code WORKDIR}, data volume and class-data step, and compose.yaml's
 * {@code serve} command, read from the files themselves and applied to the distribution unpacked as
 * the image unpacks it. Where a Docker engine answers, the image itself is built and run too.
 */
class ContainerEntryPointIT {
    private static final Path ROOT = Paths.get(System.getProperty("tcpautopsy.basedir", "."));

    @TempDir
    Path tmp;

    /** The image's /opt/tcpautopsy: the tree of the .tar.gz, moved there as the build stage does. */
    private Path install() throws Exception {
        Path opt = Files.createDirectories(tmp.resolve("opt"));
        Path tgz = DistributionIT.DIST.resolveSibling("tcpautopsy-" + DistributionIT.VERSION + ".tar.gz").toAbsolutePath();
        assertEquals(0, DistributionIT.run(opt, Map.of(), List.of("tar", "xzf", tgz.toString())).exit());
        Path home = opt.resolve("tcpautopsy");
        Files.move(opt.resolve("tcpautopsy-" + DistributionIT.VERSION), home);
        return home;
    }

    private static String dockerfile() throws Exception {
        return Files.readString(ROOT.resolve("Dockerfile"));
    }

    private static String first(String regex, String text) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), regex);
        return m.group(1);
    }

    /** The image's command for a path in it: /opt/tcpautopsy/... is the unpacked tree here. */
    private static List<String> inImage(Path home, List<String> words) {
        List<String> out = new ArrayList<>();
        for (String w : words) {
            out.add(w.replace("/opt/tcpautopsy", home.toString()));
        }
        return out;
    }

    @Test
    void analyzeWithTheCapturesMountedAsTheWorkDirectory() throws Exception {
        String df = dockerfile();
        String entry = first("^ENTRYPOINT \\[\"([^\"]+)\"\\]", df);
        assertEquals("/work", first("^WORKDIR (\\S+)\\s*$(?![\\s\\S]*^WORKDIR)", df), "the last WORKDIR is where captures are mounted");
        Path home = install();
        // the class-data step of the runtime stage, with the samples where its bind mount puts them
        String step = first("(java -cp /opt/tcpautopsy/lib/tcpautopsy\\.jar dev\\.tcpautopsy\\.cli\\.ArchiveTraining build[^&]*)", df)
                .replace("\\\n", " ").replace("/tmp/samples", EndToEnd.samples().toAbsolutePath().toString());
        List<String> build = inImage(home, List.of(step.trim().split("\\s+")));
        build.set(0, Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        DistributionIT.Run archive = DistributionIT.run(tmp, Map.of(), build);
        assertEquals(0, archive.exit(), archive.err());
        assertTrue(Files.isRegularFile(home.resolve("lib/tcpautopsy.jsa")));

        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.copy(EndToEnd.samples().resolve("rst-unread-data-server.pcap"), work.resolve("incident.pcap"));
        DistributionIT.Run r = DistributionIT.run(work, Map.of(), inImage(home, List.of(entry, "analyze", ".")));
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        JsonNode report = EndToEnd.JSON.readTree(work.resolve("tcpautopsy-report/report.json").toFile());
        assertEquals("RST_UNREAD_DATA", report.at("/captures/0/flows/0/termination/class").asText());
        DistributionIT.Run help = DistributionIT.run(work, Map.of(), inImage(home,
                List.of(entry, first("^CMD \\[\"([^\"]+)\"\\]", df))));
        assertEquals(0, help.exit(), "the image's default command: " + help.err());
        assertTrue(help.out().contains("analyze"), help.out());
    }

    /** compose.yaml's serve command, its data in the volume's directory; bound to loopback here. */
    @Test
    void serveWithADataVolume() throws Exception {
        String df = dockerfile();
        String entry = first("^ENTRYPOINT \\[\"([^\"]+)\"\\]", df);
        String volume = first("^VOLUME (\\S+)", df);
        String compose = Files.readString(ROOT.resolve("compose.yaml"));
        List<String> command = new ArrayList<>();
        Matcher words = Pattern.compile("\"([^\"]*)\"").matcher(first("^\\s+command: \\[(.*)\\]", compose));
        while (words.find()) {
            command.add(words.group(1));
        }
        assertEquals("serve", command.get(0), command.toString());
        assertTrue(command.contains(volume), "serve keeps its data in the image's volume: " + command);
        Path home = install();
        Path data = tmp.resolve("volume");
        List<String> cmd = new ArrayList<>(inImage(home, List.of(entry)));
        for (String w : command) {
            // loopback and a free port on this machine; the volume is a directory here
            cmd.add(w.equals("0.0.0.0") ? "127.0.0.1" : w.equals(volume) ? data.toString() : w);
        }
        cmd.addAll(List.of("--port", "0", "--quiet"));
        Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve("serve.err").toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("tcpautopsy serve: listening on http://127.0.0.1:"),
                    line + " / " + Files.readString(tmp.resolve("serve.err")));
            String url = first("listening on (http://\\S+?)/? ", line + " ");
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/api/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"status\":\"ok\""), health.body());
            assertTrue(Files.isDirectory(data), "the data directory is the volume");
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve stops on SIGTERM");
        }
    }

    /** With a Docker engine: the image itself analyzes a mounted capture. */
    @Test
    void theImageItselfWhereDockerRuns() throws Exception {
        boolean engine;
        try {
            Process info = new ProcessBuilder("docker", "info").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            engine = info.waitFor(20, TimeUnit.SECONDS) && info.exitValue() == 0;
        } catch (java.io.IOException e) {
            engine = false;
        }
        Assumptions.assumeTrue(engine, "skipped: no Docker engine (the entry point is tested without it above)");
        DistributionIT.Run build = DistributionIT.run(ROOT.toAbsolutePath().toFile().toPath(), Map.of(),
                List.of("docker", "build", "-q", "-t", "tcpautopsy-it", "."));
        assertEquals(0, build.exit(), build.err());
        DistributionIT.Run r = DistributionIT.run(tmp, Map.of(), List.of("docker", "run", "--rm", "-v",
                EndToEnd.samples().toAbsolutePath() + ":/work:ro", "tcpautopsy-it", "analyze", "-f", "json", "-o", "-",
                "rst-unread-data-server.pcap"));
        assertEquals(0, r.exit(), r.err());
        assertEquals("RST_UNREAD_DATA", EndToEnd.JSON.readTree(r.out()).at("/captures/0/flows/0/termination/class").asText());
    }
}
