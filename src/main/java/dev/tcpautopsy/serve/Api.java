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
        s.intake.precheck(ctx.req().getContentLengthLong());
        List<Intake.Result> results = new ArrayList<>();
        if (ctx.isMultipartFormData()) {
            List<Part> files = fileParts(ctx);
            String note = ctx.formParam("note");
            String ticket = ctx.formParam("ticket");
            for (Part p : files) {
                Path tmp = s.dir.newTmpFile();
                p.write(tmp.toString());  // Jetty moves its spooled file: no second copy of a big capture
                results.add(s.intake.accept(tmp, p.getSubmittedFileName(), note, ticket));
            }
        } else {
            // a raw body: curl --data-binary @cap.pcap, or tcpdump -w - | curl -T - (streamed, any size up to the limit)
            Path tmp = s.intake.spool(ctx.bodyInputStream());
            results.add(s.intake.accept(tmp, ctx.queryParam("name"), ctx.queryParam("note"), ctx.queryParam("ticket")));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        Optional<Intake.Result> accepted = results.stream().filter(r -> r.error() == null).findFirst();
        int status = accepted.isPresent() ? 202 : results.get(0).status();
        if (accepted.isEmpty()) {
            body.put("error", results.size() == 1 ? results.get(0).error()
                    : "none of the " + results.size() + " files was accepted; first: " + results.get(0).error());
            body.put("code", results.get(0).code());
        }
        body.put("uploads", results.stream().map(Views::result).toList());
        ctx.status(status).json(body);
    }

    /** The file parts of a multipart upload, after Jetty has spooled them to disk within the limits. */
    private List<Part> fileParts(Context ctx) throws java.io.IOException, jakarta.servlet.ServletException {
        try {
            ctx.uploadedFiles();  // parses with the service's multipart limits
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof OutOfMemoryError) {
                    throw new ApiError(503, "busy", "the service is short of memory to read the upload: try again "
                            + "when fewer uploads are running");
                }
            }
            String m = String.valueOf(Database.rootMessage(e));
            // Jetty says "max length exceeded: N" (or "max file size exceeded") when a part passes the limit
            if (m.matches("(?is).*(exceed|too large|too big).*")) {
                throw s.intake.tooLarge(-1);
            }
            throw new ApiError(400, "bad_upload", "cannot read the multipart upload: " + m);
        }
        List<Part> files = new ArrayList<>();
        for (Part p : ctx.req().getParts()) {
            if (p.getSubmittedFileName() != null) {
                files.add(p);
            }
        }
        if (files.isEmpty()) {
            throw new ApiError(400, "no_files", "the upload has no file: send one or more file fields "
                    + "(curl -F files=@capture.pcap)");
        }
        if (files.size() > s.settings.maxFiles()) {
            throw new ApiError(413, "too_many_files", "too many files in one upload: " + files.size()
                    + ", the limit is " + s.settings.maxFiles() + " (--max-files)");
        }
        return files;
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
