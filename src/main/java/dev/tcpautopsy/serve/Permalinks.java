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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The permalinks of an analysis: the HTML report, each download, the zip bundle, the original capture;
 * of a pair, the comparison's reports and each of its captures.
 */
final class Permalinks {
    private final AnalysisIndex index;
    private final DataDir dir;

    Permalinks(AnalysisIndex index, DataDir dir) {
        this.index = index;
        this.dir = dir;
    }

    void routes(JavalinConfig config) {
        Set<String> names = new LinkedHashSet<>();
        for (Download d : Download.ANALYSIS) {
            names.add(d.name());
        }
        for (Download d : Download.COMPARISON) {
            names.add(d.name());
        }
        for (String name : names) {
            config.routes.get("/a/{id}/" + name, ctx -> download(ctx, name));
        }
        config.routes.get("/a/{id}/bundle.zip", this::bundle);
        config.routes.get("/a/{id}/capture", this::capture);
        config.routes.get("/a/{id}/capture/{file}", this::pairFile);
    }

    private IndexEntry done(Context ctx) throws SQLException {
        IndexEntry a = Api.analysis(index, ctx.pathParam("id"));
        if (a.state() != State.DONE) {
            throw new ApiError(409, "not_ready", "analysis " + a.id() + " is " + a.state().key()
                    + (a.state() == State.FAILED ? ": " + a.message() : "") + "; its reports exist once it is done");
        }
        return a;
    }

    /** A report: a page is shown under the report's content policy, any other file is saved. */
    private void download(Context ctx, String name) throws Exception {
        IndexEntry a = done(ctx);
        Download d = Download.of(a).stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiError.notFound(name + " of analysis " + a.id() + " (" + (a.pair()
                        ? "a pair has " : "one capture has ") + String.join(", ", Download.of(a).stream()
                        .map(Download::name).toList()) + ")"));
        if (d.page()) {
            ctx.header("Content-Security-Policy", WebApp.CSP_REPORT);
        }
        send(ctx, a, dir.report(a.id()).resolve(d.file()), d.mediaType(),
                d.page() ? null : "tcpautopsy-" + a.id() + "-" + d.file(), reportTag(a, d.file()));
    }

    private void bundle(Context ctx) throws Exception {
        IndexEntry a = done(ctx);
        String folder = "tcpautopsy-" + a.id();
        // every file is opened before the answer starts: a delete in between cannot cut a zip short after a 200
        List<FileChannel> files = new ArrayList<>();
        try {
            for (Download d : Download.of(a)) {
                files.add(open(a, dir.report(a.id()).resolve(d.file())));
            }
            ctx.disableCompression();
            ctx.contentType("application/zip");
            ctx.header("Content-Disposition", "attachment; filename=\"" + folder + ".zip\"");
            try (ZipOutputStream zip = new ZipOutputStream(ctx.outputStream())) {
                for (int i = 0; i < files.size(); i++) {
                    zip.putNextEntry(new ZipEntry(folder + "/" + Download.of(a).get(i).file()));
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
        IndexEntry a = Api.analysis(index, ctx.pathParam("id"));
        if (a.pair()) {
            throw ApiError.notFound("capture of analysis " + a.id() + " (a pair: each of its files is under "
                    + "/a/" + a.id() + "/capture/, as a1, a2, …, b1, …)");
        }
        String name = index.uploads(List.of(a.id())).getOrDefault(a.id(), List.of()).stream()
                .map(Upload::fileName).findFirst().orElse(a.id());
        ctx.disableCompression();
        // the content is the capture's SHA-256: the strongest validator there is
        send(ctx, a, dir.capture(a.id()), mediaType(a.kind()), safeName(name), "\"" + a.sha256() + "\"");
    }

    /** One capture of a pair, as uploaded: {@code /a/ID/capture/b1}. */
    private void pairFile(Context ctx) throws Exception {
        IndexEntry a = Api.analysis(index, ctx.pathParam("id"));
        String file = ctx.pathParam("file");
        PairFile f = !a.pair() ? null : index.pairFiles(List.of(a.id())).getOrDefault(a.id(), List.of()).stream()
                .filter(x -> x.stored().equals(file)).findFirst().orElse(null);
        if (f == null) {
            throw ApiError.notFound("capture " + AnalysisIndex.clip(file, 20) + " of analysis " + a.id());
        }
        ctx.disableCompression();
        send(ctx, a, dir.pairFile(a.id(), f), mediaType(f.kind()), safeName(f.fileName()), "\"" + f.sha256() + "\"");
    }

    private static String mediaType(String kind) {
        return kind.endsWith(".gz") ? "application/gzip"
                : kind.equals("pcapng") ? "application/x-pcapng" : "application/vnd.tcpdump.pcap";
    }

    /** A report file never changes once its analysis is done: its id, finish time and name tell it apart. */
    private static String reportTag(IndexEntry a, String name) {
        return "\"" + a.id() + "-" + a.finished() + "-" + name + "\"";
    }

    /**
     * Sends a file, or the one range of it that the request asks for. The file is opened first: one
     * deleted meanwhile is a 404, never an answer that breaks off.
     */
    private static void send(Context ctx, IndexEntry a, Path file, String type, String attachment, String etag)
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

    private static FileChannel open(IndexEntry a, Path file) throws IOException {
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
