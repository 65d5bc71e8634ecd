package dev.tcpautopsy.serve;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** The permalinks of an analysis: the HTML report, each download, the zip bundle, the original capture. */
final class Permalinks {
    /** The report files a worker writes, by the name they have under a permalink, with their media types. */
    private static final Map<String, String> REPORTS = Map.of(
            "flows.csv", "text/csv; charset=utf-8",
            "report.json", "application/json",
            "summary.md", "text/markdown; charset=utf-8");
    private static final List<String> BUNDLE = List.of("index.html", "flows.csv", "report.json", "summary.md");

    private final Service s;
    private final Api api;

    Permalinks(Service s) {
        this.s = s;
        this.api = new Api(s);
    }

    void routes(JavalinConfig config) {
        config.routes.get("/a/{id}/report.html", this::report);
        for (String name : REPORTS.keySet()) {
            config.routes.get("/a/{id}/" + name, ctx -> download(ctx, name));
        }
        config.routes.get("/a/{id}/bundle.zip", this::bundle);
        config.routes.get("/a/{id}/capture", this::capture);
    }

    private Analysis done(Context ctx) throws SQLException {
        Analysis a = api.analysis(ctx.pathParam("id"));
        if (a.state() != State.DONE) {
            throw new ApiError(409, "not_ready", "analysis " + a.id() + " is " + a.state().key()
                    + (a.state() == State.FAILED ? ": " + a.message() : "") + "; its reports exist once it is done");
        }
        return a;
    }

    private void report(Context ctx) throws Exception {
        Analysis a = done(ctx);
        ctx.header("Content-Security-Policy", WebApp.CSP_REPORT);
        send(ctx, a, s.dir.report(a.id()).resolve("index.html"), "text/html; charset=utf-8", null, reportTag(a, "index.html"));
    }

    private void download(Context ctx, String name) throws Exception {
        Analysis a = done(ctx);
        send(ctx, a, s.dir.report(a.id()).resolve(name), REPORTS.get(name), "tcpautopsy-" + a.id() + "-" + name,
                reportTag(a, name));
    }

    private void bundle(Context ctx) throws Exception {
        Analysis a = done(ctx);
        String folder = "tcpautopsy-" + a.id();
        // every file is opened before the answer starts: a delete in between cannot cut a zip short after a 200
        List<FileChannel> files = new ArrayList<>();
        try {
            for (String name : BUNDLE) {
                files.add(open(a, s.dir.report(a.id()).resolve(name)));
            }
            ctx.disableCompression();
            ctx.contentType("application/zip");
            ctx.header("Content-Disposition", "attachment; filename=\"" + folder + ".zip\"");
            try (ZipOutputStream zip = new ZipOutputStream(ctx.outputStream())) {
                for (int i = 0; i < BUNDLE.size(); i++) {
                    zip.putNextEntry(new ZipEntry(folder + "/" + BUNDLE.get(i)));
                    copy(files.get(i), 0, files.get(i).size(), zip);
                    zip.closeEntry();
                }
            }
        } finally {
            for (FileChannel f : files) {
                f.close();
            }
        }
    }

    private void capture(Context ctx) throws Exception {
        Analysis a = api.analysis(ctx.pathParam("id"));
        String name = s.index.uploads(List.of(a.id())).getOrDefault(a.id(), List.of()).stream()
                .map(Upload::fileName).findFirst().orElse(a.id());
        String type = a.kind().endsWith(".gz") ? "application/gzip"
                : a.kind().equals("pcapng") ? "application/x-pcapng" : "application/vnd.tcpdump.pcap";
        ctx.disableCompression();
        // the content is the capture's SHA-256: the strongest validator there is
        send(ctx, a, s.dir.capture(a.id()), type, safeName(name), "\"" + a.sha256() + "\"");
    }

    /** A report file never changes once its analysis is done: its id, finish time and name tell it apart. */
    private static String reportTag(Analysis a, String name) {
        return "\"" + a.id() + "-" + a.finished() + "-" + name + "\"";
    }

    /**
     * Sends a file, or the one range of it that the request asks for. The file is opened first: one
     * deleted meanwhile is a 404, never an answer that breaks off.
     */
    private static void send(Context ctx, Analysis a, Path file, String type, String attachment, String etag)
            throws IOException {
        try (FileChannel in = open(a, file)) {
            long length = in.size();
            ByteRange range = ByteRange.select(ctx.header("Range"), ctx.header("If-Range"), etag, length);
            ctx.header("Accept-Ranges", "bytes");
            ctx.header("ETag", etag);
            if (range.kind() == ByteRange.Kind.UNSATISFIABLE) {
                ctx.header("Content-Range", "bytes */" + length);
                ctx.status(416).json(WebApp.error("range_not_satisfiable", "the range " + AnalysisIndex.clip(
                        ctx.header("Range"), 100) + " is not within the file's " + length + " bytes"));
                return;
            }
            if (attachment != null) {
                ctx.header("Content-Disposition", "attachment; filename=\"" + attachment + "\"");
            }
            ctx.contentType(type);
            if (range.kind() == ByteRange.Kind.PART) {
                // the Content-Range counts bytes of the file as it is, so the part goes out uncompressed
                ctx.disableCompression();
                ctx.status(206);
                ctx.header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + length);
                ctx.header("Content-Length", Long.toString(range.length()));
            }
            try (OutputStream out = ctx.outputStream()) {
                copy(in, range.first(), range.length(), out);
            }
        }
    }

    private static FileChannel open(Analysis a, Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw ApiError.notFound("analysis " + a.id() + " (deleted meanwhile)");
        }
    }

    private static void copy(FileChannel in, long from, long count, OutputStream out) throws IOException {
        WritableByteChannel to = Channels.newChannel(out);
        long done = 0;
        while (done < count) {
            long n = in.transferTo(from + done, count - done, to);
            if (n <= 0) {
                throw new IOException("the file ended " + (count - done) + " bytes early");
            }
            done += n;
        }
    }

    /** A file name for Content-Disposition: the client's name reduced to harmless characters. */
    static String safeName(String name) {
        String n = name.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[.]+", "");
        return n.isEmpty() ? "capture" : AnalysisIndex.clip(n, 120).replace("…", "");
    }
}
