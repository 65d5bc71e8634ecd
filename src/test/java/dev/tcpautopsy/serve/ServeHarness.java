package dev.tcpautopsy.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

/** Starts the service in-process on 127.0.0.1 and an ephemeral port, with a data directory of the test's own. */
final class ServeHarness implements AutoCloseable {
    static final Path SAMPLES = Path.of(System.getProperty("tcpautopsy.samples", "samples"));
    /** The worker that fails on purpose for some capture names (see {@link MisbehavingWorker}). */
    static final List<String> MISBEHAVING = List.of("-Xmx256m", "-XX:+UseSerialGC", MisbehavingWorker.class.getName());

    final Service service;
    final Http http;
    final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();

    ServeHarness(ServeSettings settings) throws IOException, SQLException {
        service = Service.start(settings, log::add);
        http = new Http("http://127.0.0.1:" + service.port(), settings.token());
    }

    /** Test defaults: loopback, a free port, two workers, a short time limit. */
    static ServeSettings settings(Path data) {
        return ServeSettings.defaults(data).withPort(0).withWorkers(2, Duration.ofSeconds(60), List.of());
    }

    static byte[] sample(String name) {
        try {
            return Files.readAllBytes(SAMPLES.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for {@code condition}, checked every 20 ms; fails the test naming {@code what} after 60 s. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The id of the first accepted file of an upload answer. */
    static String id(Http.Response r) {
        if (r.status() != 202) {
            throw new AssertionError("upload refused: " + r.status() + " " + r.text());
        }
        return r.json().path("uploads").get(0).path("id").asText();
    }

    @Override
    public void close() {
        service.close();
    }
}
