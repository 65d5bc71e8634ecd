package dev.tcpautopsy.serve;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
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
        send(ctx, s.dir.report(a.id()).resolve("index.html"), "text/html; charset=utf-8", null);
    }

    private void download(Context ctx, String name) throws Exception {
        Analysis a = done(ctx);
        send(ctx, s.dir.report(a.id()).resolve(name), REPORTS.get(name), "tcpautopsy-" + a.id() + "-" + name);
    }

    private void bundle(Context ctx) throws Exception {
        Analysis a = done(ctx);
        String folder = "tcpautopsy-" + a.id();
        ctx.disableCompression();
        ctx.contentType("application/zip");
        ctx.header("Content-Disposition", "attachment; filename=\"" + folder + ".zip\"");
        try (ZipOutputStream zip = new ZipOutputStream(ctx.outputStream())) {
            for (String name : BUNDLE) {
                zip.putNextEntry(new ZipEntry(folder + "/" + name));
                Files.copy(s.dir.report(a.id()).resolve(name), zip);
                zip.closeEntry();
            }
        }
    }

    private void capture(Context ctx) throws Exception {
        Analysis a = api.analysis(ctx.pathParam("id"));
        String name = s.index.uploads(List.of(a.id())).getOrDefault(a.id(), List.of()).stream()
                .map(Upload::fileName).findFirst().orElse(a.id());
        String type = a.kind().endsWith(".gz") ? "application/gzip"
                : a.kind().equals("pcapng") ? "application/x-pcapng" : "application/vnd.tcpdump.pcap";
        Path file = s.dir.capture(a.id());
        ctx.disableCompression();
        ctx.header("Content-Disposition", "attachment; filename=\"" + safeName(name) + "\"");
        InputStream in = Files.newInputStream(file);
        ctx.writeSeekableStream(in, type, Files.size(file));
    }

    private static void send(Context ctx, Path file, String type, String attachment) throws IOException {
        if (attachment != null) {
            ctx.header("Content-Disposition", "attachment; filename=\"" + attachment + "\"");
        }
        ctx.contentType(type);
        try (InputStream in = Files.newInputStream(file); OutputStream out = ctx.outputStream()) {
            in.transferTo(out);
        }
    }

    /** A file name for Content-Disposition: the client's name reduced to harmless characters. */
    static String safeName(String name) {
        String n = name.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[.]+", "");
        return n.isEmpty() ? "capture" : AnalysisIndex.clip(n, 120).replace("…", "");
    }
}
