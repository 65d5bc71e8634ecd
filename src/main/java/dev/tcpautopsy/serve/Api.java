package dev.tcpautopsy.serve;

import dev.tcpautopsy.model.TerminationClass;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import jakarta.servlet.http.Part;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON API under {@code /api}: upload, list and search, status and results, delete. */
final class Api {
    /** Seconds a client is asked to wait after a 503 (a full queue, a short heap). */
    static final String RETRY_AFTER = "60";
    /** The file fields of a pair's two points. */
    private static final List<String> POINTS = List.of(PairFile.A, PairFile.B);

    private final Intake intake;
    private final AnalysisIndex index;
    private final WorkerPool pool;
    private final DataDir dir;
    private final ServeSettings settings;
    /** How much of a refused upload's body is read before the answer, at most: nginx's lingering close, bounded. */
    private static final long LINGER_BYTES = 8L << 20, LINGER_NANOS = 2_000_000_000L;

    Api(Intake intake, AnalysisIndex index, WorkerPool pool, DataDir dir, ServeSettings settings) {
        this.intake = intake;
        this.index = index;
        this.pool = pool;
        this.dir = dir;
        this.settings = settings;
    }

    void routes(JavalinConfig config) {
        config.routes.post("/api/analyses", this::upload);
        config.routes.get("/api/analyses", this::list);
        config.routes.get("/api/analyses/{id}", ctx -> ctx.json(view(analysis(index, ctx.pathParam("id")))));
        config.routes.delete("/api/analyses/{id}", this::delete);
        config.routes.get("/api/health", this::health);
    }

    /** The analysis of a permalink, or a 404 for anything that is not one (including ids of the wrong shape). */
    static IndexEntry analysis(AnalysisIndex index, String id) throws SQLException {
        if (!DataDir.isId(id)) {
            throw ApiError.notFound("analysis " + AnalysisIndex.clip(id, 40));
        }
        return index.find(id).orElseThrow(() -> ApiError.notFound("analysis " + id));
    }

    private void upload(Context ctx) throws Exception {
        List<Intake.Result> results = new ArrayList<>();
        try {
            intake.precheck(ctx.req().getContentLengthLong());
            if (ctx.isMultipartFormData()) {
                MultipartUpload.Parsed up = MultipartUpload.read(ctx, intake, dir, settings);
                checkFiles(up.files());
                if (up.files().stream().anyMatch(p -> POINTS.contains(p.getName()))) {
                    results.add(pair(up));
                } else {
                    for (Part p : up.files()) {
                        Path tmp = dir.newTmpFile();
                        MultipartUpload.store(p, tmp);
                        results.add(intake.accept(tmp, p.getSubmittedFileName(), up.fields().get("note"),
                                up.fields().get("ticket")));
                    }
                }
            } else {
                // a raw body: curl --data-binary @cap.pcap, or tcpdump -w - | curl -T - (streamed, any size up to the limit)
                Path tmp = intake.spool(intake.guard(ctx.bodyInputStream()));
                results.add(intake.accept(tmp, ctx.queryParam("name"), ctx.queryParam("note"), ctx.queryParam("ticket")));
            }
        } catch (Intake.Refused r) {
            lingerOn(ctx);
            throw refused(r.why, r.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        Optional<Intake.Result> taken = results.stream().filter(r -> !r.admission().refused()).findFirst();
        int status = taken.isPresent() ? 202 : status(results.get(0).admission());
        if (taken.isEmpty()) {
            body.put("error", results.size() == 1 ? results.get(0).error()
                    : "none of the " + results.size() + " files was accepted; first: " + results.get(0).error());
            body.put("code", code(results.get(0).admission()));
        }
        if (status == 503) {
            ctx.header("Retry-After", RETRY_AFTER);
        }
        body.put("uploads", results.stream().map(Views::result).toList());
        ctx.status(status).json(body);
    }

    /**
     * Two captures of the same traffic to compare: the files of field {@code a} are one point, those of
     * {@code b} the other (several a point are merged by time); no other file field may come with them.
     */
    private Intake.Result pair(MultipartUpload.Parsed up) throws IOException, SQLException {
        for (Part p : up.files()) {
            if (!POINTS.contains(p.getName())) {
                throw new ApiError(400, "bad_pair", "a pair's files are the fields a and b only (curl -F a=@client.pcap "
                        + "-F b=@server.pcap), not '" + AnalysisIndex.clip(p.getName(), 40) + "'");
            }
        }
        Map<String, List<Intake.Spooled>> points = Map.of(POINTS.get(0), new ArrayList<>(), POINTS.get(1), new ArrayList<>());
        try {
            for (Part p : up.files()) {
                Path tmp = dir.newTmpFile();
                MultipartUpload.store(p, tmp);
                points.get(p.getName()).add(new Intake.Spooled(tmp, p.getSubmittedFileName()));
            }
        } catch (IOException | RuntimeException e) {
            for (List<Intake.Spooled> point : points.values()) {
                for (Intake.Spooled f : point) {
                    Files.deleteIfExists(f.file());
                }
            }
            throw e;
        }
        List<Intake.Spooled> a = points.get(POINTS.get(0)), b = points.get(POINTS.get(1));
        if (a.isEmpty() || b.isEmpty()) {
            for (Intake.Spooled f : a.isEmpty() ? b : a) {
                Files.deleteIfExists(f.file());
            }
            throw new ApiError(400, "bad_pair", "a pair needs the captures of both points: files in field a and in "
                    + "field b (curl -F a=@client.pcap -F b=@server.pcap); " + (a.isEmpty() ? "a" : "b") + " has none");
        }
        return intake.acceptPair(a, b, up.fields().get("note"), up.fields().get("ticket"));
    }

    /**
     * Before a refusal answers an upload whose body is still coming: reads (and drops) what the client sends
     * for a short while, and closes the connection after the answer. Closing a socket with unread bytes makes
     * the kernel send RST instead of FIN, and a client still writing its body would then lose the answer it
     * was about to read (seen as "no bytes" or "connection reset" instead of the 507 or 413).
     */
    private static void lingerOn(Context ctx) {
        ctx.header("Connection", "close");
        long until = System.nanoTime() + LINGER_NANOS;
        byte[] sink = new byte[64 << 10];
        long left = LINGER_BYTES;
        try {
            InputStream in = ctx.req().getInputStream();
            int n;
            while (left > 0 && System.nanoTime() < until && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, or the body was read already: nothing left to linger for
        }
    }

    /** The HTTP answer to a refusal of the intake. */
    private static ApiError refused(Admission why, String message) {
        return new ApiError(status(why), code(why), message);
    }

    private static int status(Admission a) {
        return switch (a) {
            case ACCEPTED, DUPLICATE -> 202;
            case TOO_LARGE -> 413;
            case QUEUE_FULL -> 503;
            case NO_SPACE -> 507;
            case NOT_A_CAPTURE -> 415;
        };
    }

    /** The {@code code} of an error answer, or of a file's entry, for a refusal; null for a file taken. */
    static String code(Admission a) {
        return switch (a) {
            case ACCEPTED, DUPLICATE -> null;
            case TOO_LARGE -> "upload_too_large";
            case QUEUE_FULL -> "queue_full";
            case NO_SPACE -> "disk_full";
            case NOT_A_CAPTURE -> "not_a_capture";
        };
    }

    private void checkFiles(List<Part> files) {
        if (files.isEmpty()) {
            throw new ApiError(400, "no_files", "the upload has no file: send one or more file fields "
                    + "(curl -F files=@capture.pcap)");
        }
        if (files.size() > settings.maxFiles()) {
            throw new ApiError(413, "too_many_files", "too many files in one upload: " + files.size()
                    + ", the limit is " + settings.maxFiles() + " (--max-files)");
        }
    }

    private void list(Context ctx) throws SQLException {
        String cls = ctx.queryParam("class");
        if (cls != null && !cls.isBlank() && Arrays.stream(TerminationClass.values())
                .noneMatch(c -> c.name().equalsIgnoreCase(cls.trim()))) {
            throw new ApiError(400, "bad_class", "unknown class '" + cls + "'; one of "
                    + Arrays.toString(TerminationClass.values()));
        }
        int limit = 50;
        if (ctx.queryParam("limit") != null) {
            try {
                limit = Integer.parseInt(ctx.queryParam("limit"));
            } catch (NumberFormatException e) {
                throw new ApiError(400, "bad_limit", "limit must be a number from 1 to 500");
            }
        }
        List<IndexEntry> found = index.search(new AnalysisIndex.Search(ctx.queryParam("q"), ctx.queryParam("name"),
                ctx.queryParam("note"), ctx.queryParam("ticket"), ctx.queryParam("host"), cls, limit));
        List<String> ids = found.stream().map(IndexEntry::id).toList();
        Map<String, List<Upload>> uploads = index.uploads(ids);
        Map<String, Map<String, Long>> classes = index.classes(ids);
        Map<String, List<PairFile>> files = index.pairFiles(found.stream().filter(IndexEntry::pair).map(IndexEntry::id)
                .toList());
        List<Map<String, Object>> out = new ArrayList<>();
        for (IndexEntry a : found) {
            out.add(Views.analysis(a, uploads.getOrDefault(a.id(), List.of()), classes.getOrDefault(a.id(), Map.of()),
                    files.getOrDefault(a.id(), List.of()), pool.progress(a.id())));
        }
        ctx.json(Map.of("analyses", out));
    }

    Map<String, Object> view(IndexEntry a) throws SQLException {
        return Views.analysis(a, index.uploads(List.of(a.id())).getOrDefault(a.id(), List.of()),
                index.classes(List.of(a.id())).getOrDefault(a.id(), Map.of()),
                a.pair() ? index.pairFiles(List.of(a.id())).getOrDefault(a.id(), List.of()) : List.of(),
                pool.progress(a.id()));
    }

    private void delete(Context ctx) throws Exception {
        IndexEntry a = analysis(index, ctx.pathParam("id"));
        if (!a.state().terminal()) {
            pool.cancel(a.id());
        }
        index.delete(a.id());
        dir.delete(a.id());
        ctx.json(Map.of("deleted", a.id()));
    }

    private void health(Context ctx) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("version", version());
        m.put("queued", index.countQueued());
        m.put("running", pool.running().size());
        m.put("workers", settings.workers());
        m.put("index", settings.jdbcUrl() == null ? "h2" : "jdbc");
        m.put("tokenRequired", settings.token() != null);
        ctx.json(m);
    }

    static String version() {
        String v = Api.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
