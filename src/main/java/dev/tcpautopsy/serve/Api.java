package dev.tcpautopsy.serve;

import dev.tcpautopsy.model.TerminationClass;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import jakarta.servlet.http.Part;

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

    private final Service s;

    Api(Service s) {
        this.s = s;
    }

    void routes(JavalinConfig config) {
        config.routes.post("/api/analyses", this::upload);
        config.routes.get("/api/analyses", this::list);
        config.routes.get("/api/analyses/{id}", ctx -> ctx.json(view(analysis(ctx.pathParam("id")))));
        config.routes.delete("/api/analyses/{id}", this::delete);
        config.routes.get("/api/health", this::health);
    }

    /** The analysis of a permalink, or a 404 for anything that is not one (including ids of the wrong shape). */
    Analysis analysis(String id) throws SQLException {
        if (!DataDir.isId(id)) {
            throw ApiError.notFound("analysis " + AnalysisIndex.clip(id, 40));
        }
        return s.index.find(id).orElseThrow(() -> ApiError.notFound("analysis " + id));
    }

    private void upload(Context ctx) throws Exception {
        List<Intake.Result> results = new ArrayList<>();
        try {
            s.intake.precheck(ctx.req().getContentLengthLong());
            if (ctx.isMultipartFormData()) {
                MultipartUpload.Parsed up = MultipartUpload.read(ctx, s);
                checkFiles(up.files());
                for (Part p : up.files()) {
                    Path tmp = s.dir.newTmpFile();
                    MultipartUpload.store(p, tmp);
                    results.add(s.intake.accept(tmp, p.getSubmittedFileName(), up.fields().get("note"),
                            up.fields().get("ticket")));
                }
            } else {
                // a raw body: curl --data-binary @cap.pcap, or tcpdump -w - | curl -T - (streamed, any size up to the limit)
                Path tmp = s.intake.spool(s.intake.guard(ctx.bodyInputStream()));
                results.add(s.intake.accept(tmp, ctx.queryParam("name"), ctx.queryParam("note"), ctx.queryParam("ticket")));
            }
        } catch (Intake.Refused r) {
            throw refused(r.why, r.getMessage());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        Optional<Intake.Result> accepted = results.stream().filter(r -> r.refusal() == null).findFirst();
        int status = accepted.isPresent() ? 202 : status(results.get(0).refusal());
        if (accepted.isEmpty()) {
            body.put("error", results.size() == 1 ? results.get(0).error()
                    : "none of the " + results.size() + " files was accepted; first: " + results.get(0).error());
            body.put("code", results.get(0).refusal().code);
        }
        if (status == 503) {
            ctx.header("Retry-After", RETRY_AFTER);
        }
        body.put("uploads", results.stream().map(Views::result).toList());
        ctx.status(status).json(body);
    }

    /** The HTTP answer to a refusal of the intake. */
    static ApiError refused(Intake.Refusal why, String message) {
        return new ApiError(status(why), why.code, message);
    }

    private static int status(Intake.Refusal why) {
        return switch (why) {
            case TOO_LARGE -> 413;
            case QUEUE_FULL -> 503;
            case DISK_FULL -> 507;
            case NOT_A_CAPTURE -> 415;
        };
    }

    private void checkFiles(List<Part> files) {
        if (files.isEmpty()) {
            throw new ApiError(400, "no_files", "the upload has no file: send one or more file fields "
                    + "(curl -F files=@capture.pcap)");
        }
        if (files.size() > s.settings.maxFiles()) {
            throw new ApiError(413, "too_many_files", "too many files in one upload: " + files.size()
                    + ", the limit is " + s.settings.maxFiles() + " (--max-files)");
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
        List<Analysis> found = s.index.search(new AnalysisIndex.Search(ctx.queryParam("q"), ctx.queryParam("name"),
                ctx.queryParam("note"), ctx.queryParam("ticket"), ctx.queryParam("host"), cls, limit));
        List<String> ids = found.stream().map(Analysis::id).toList();
        Map<String, List<Upload>> uploads = s.index.uploads(ids);
        Map<String, Map<String, Long>> classes = s.index.classes(ids);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Analysis a : found) {
            out.add(Views.analysis(a, uploads.getOrDefault(a.id(), List.of()), classes.getOrDefault(a.id(), Map.of()),
                    s.pool.progress(a.id())));
        }
        ctx.json(Map.of("analyses", out));
    }

    Map<String, Object> view(Analysis a) throws SQLException {
        return Views.analysis(a, s.index.uploads(List.of(a.id())).getOrDefault(a.id(), List.of()),
                s.index.classes(List.of(a.id())).getOrDefault(a.id(), Map.of()), s.pool.progress(a.id()));
    }

    private void delete(Context ctx) throws Exception {
        Analysis a = analysis(ctx.pathParam("id"));
        if (!a.state().terminal()) {
            s.pool.cancel(a.id());
        }
        s.index.delete(a.id());
        s.dir.delete(a.id());
        ctx.json(Map.of("deleted", a.id()));
    }

    private void health(Context ctx) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("version", version());
        m.put("queued", s.index.countQueued());
        m.put("running", s.pool.running().size());
        m.put("workers", s.settings.workers());
        m.put("index", s.settings.jdbcUrl() == null ? "h2" : "jdbc");
        m.put("tokenRequired", s.settings.token() != null);
        ctx.json(m);
    }

    static String version() {
        String v = Api.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
