package dev.tcpautopsy.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small HTTP client for the service's tests: JSON calls, multipart and raw uploads, with an optional token. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One file of a multipart upload. */
    record Part(String name, byte[] content) {
    }

    /** A response with its body as bytes, and as JSON when it parses. */
    record Response(int status, java.net.http.HttpHeaders headers, byte[] body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text(), e);
            }
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    // a bound, not an expectation: 50 connections opened at once (ServeLoadTest) can overflow the listen
    // backlog of a starved server, and a dropped SYN is only sent again after 1 s, 3 s, 7 s
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(60))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;
    private final String token;

    Http(String base, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    Http withToken(String t) {
        return new Http(base, t);
    }

    /**
     * The same, on connections of its own: the service closes a connection whose request body it
     * refused to read, and a pooled connection may not know it yet.
     */
    Http fresh() {
        return new Http(base, token);
    }

    String base() {
        return base;
    }

    Response get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    Response delete(String path, String... headers) {
        return send(request(path, headers).DELETE().build());
    }

    Response post(String path, String contentType, HttpRequest.BodyPublisher body, String... headers) {
        return send(request(path, headers).header("Content-Type", contentType).POST(body).build());
    }

    /** POST /api/analyses as multipart/form-data: the files under "files", then the form fields. */
    Response upload(List<Part> files, Map<String, String> fields) {
        return upload(files, fields, false);
    }

    /** As {@link #upload(List, Map)}; {@code chunked}: without a Content-Length, as a streaming client sends it. */
    Response upload(List<Part> files, Map<String, String> fields, boolean chunked) {
        return multipart(files.stream().map(p -> Map.entry("files", p)).toList(), fields, chunked);
    }

    /** POST /api/analyses as a pair: point A's files under "a", B's under "b", then the form fields. */
    Response uploadPair(List<Part> a, List<Part> b, Map<String, String> fields) {
        List<Map.Entry<String, Part>> files = new ArrayList<>();
        a.forEach(p -> files.add(Map.entry("a", p)));
        b.forEach(p -> files.add(Map.entry("b", p)));
        return multipart(files, fields, false);
    }

    /** POST /api/analyses as multipart/form-data: each file under its field name, then the form fields. */
    Response multipart(List<Map.Entry<String, Part>> files, Map<String, String> fields, boolean chunked) {
        String boundary = "----tcpautopsy-test-" + System.nanoTime();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Map.Entry<String, Part> f : files) {
            write(b, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"; filename=\""
                    + f.getValue().name() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            b.writeBytes(f.getValue().content());
            write(b, "\r\n");
        }
        for (Map.Entry<String, String> f : fields.entrySet()) {
            write(b, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                    + f.getValue() + "\r\n");
        }
        write(b, "--" + boundary + "--\r\n");
        byte[] body = b.toByteArray();
        return post("/api/analyses", "multipart/form-data; boundary=" + boundary, chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body));
    }

    Response upload(String name, byte[] content) {
        return upload(List.of(new Part(name, content)), Map.of());
    }

    /** POST /api/analyses with one file streamed from disk as a multipart part. */
    Response uploadFile(java.nio.file.Path file, String name) throws java.io.FileNotFoundException {
        String boundary = "----tcpautopsy-test-" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        return post("/api/analyses", "multipart/form-data; boundary=" + boundary, HttpRequest.BodyPublishers.concat(
                HttpRequest.BodyPublishers.ofByteArray(head), HttpRequest.BodyPublishers.ofFile(file),
                HttpRequest.BodyPublishers.ofByteArray(tail)));
    }

    /** The status of an analysis once it is done or failed; fails the test after {@code timeout}. */
    JsonNode awaitEnd(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Response r = get("/api/analyses/" + id);
            if (r.status() != 200) {
                throw new AssertionError("status of " + id + ": " + r.status() + " " + r.text());
            }
            last = r.json();
            String state = last.path("state").asText();
            if (state.equals("done") || state.equals("failed")) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("analysis " + id + " did not end within " + timeout + ": " + last);
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return r;
    }

    private Response send(HttpRequest r) {
        try {
            HttpResponse<byte[]> resp = client.send(r, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(resp.statusCode(), resp.headers(), resp.body());
        } catch (IOException e) {
            throw new UncheckedIOException(r.method() + " " + r.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void write(ByteArrayOutputStream b, String s) {
        b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    static List<Part> parts(Part... p) {
        return new ArrayList<>(List.of(p));
    }
}
