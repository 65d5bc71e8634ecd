package dev.tcpautopsy.serve;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON shapes of the API, as ordered maps so that the field order reads well in {@code curl} output. */
final class Views {
    private Views() {
    }

    /** @param files a pair's files, empty for one capture */
    static Map<String, Object> analysis(IndexEntry a, List<Upload> uploads, Map<String, Long> classes,
                                        List<PairFile> files, Optional<JobProgress> progress) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("state", a.state().key());
        if (a.state() == State.FAILED) {
            m.put("reason", a.message() == null ? "unknown" : a.message());
        }
        if (a.state() == State.DONE && a.message() != null) {
            m.put("warning", a.message());
        }
        m.put("fileName", uploads.isEmpty() ? null : uploads.get(0).fileName());
        m.put("note", latest(uploads, true));
        m.put("ticket", latest(uploads, false));
        if (a.state() == State.RUNNING) {
            JobProgress p = progress.orElse(JobProgress.START);
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("percent", p.percent());
            pm.put("bytesDone", p.bytesDone());
            pm.put("bytesTotal", p.bytesTotal());
            pm.put("packets", p.packets());
            m.put("progress", pm);
        }
        if (a.state() == State.DONE) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("packets", a.packets());
            r.put("flows", a.flows());
            r.put("abnormal", a.abnormal());
            r.put("byClass", classes);
            if (a.summary() != null) {
                r.put("summary", a.summary());
            }
            m.put("results", r);
        }
        m.put("bytes", a.bytes());
        m.put("kind", a.kind());
        m.put("sha256", a.sha256());
        if (a.pair()) {
            m.put("points", points(a, files));
        }
        m.put("created", time(a.created()));
        m.put("started", time(a.started()));
        m.put("finished", time(a.finished()));
        m.put("uploads", uploads.stream().map(Views::upload).toList());
        m.put("links", links(a));
        return m;
    }

    /** A pair's two points: each file with its size, container and permalink. */
    private static Map<String, Object> points(IndexEntry a, List<PairFile> files) {
        Map<String, Object> points = new LinkedHashMap<>();
        for (String side : List.of(PairFile.A, PairFile.B)) {
            List<Map<String, Object>> point = new ArrayList<>();
            for (PairFile f : files) {
                if (f.side().equals(side)) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("file", f.fileName());
                    m.put("bytes", f.bytes());
                    m.put("kind", f.kind());
                    m.put("sha256", f.sha256());
                    m.put("capture", "/a/" + a.id() + "/capture/" + f.stored());
                    point.add(m);
                }
            }
            points.put(side, point);
        }
        return points;
    }

    static Map<String, Object> links(IndexEntry a) {
        String base = "/a/" + a.id();
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("page", base);
        l.put("status", "/api/analyses/" + a.id());
        if (!a.pair()) {
            l.put("capture", base + "/capture");
        }
        if (a.state() == State.DONE) {
            for (Download d : Download.of(a)) {
                l.put(d.key(), base + "/" + d.name());
            }
            l.put("bundle", base + "/bundle.zip");
        }
        return l;
    }

    static Map<String, Object> result(Intake.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", r.file());
        if (r.admission().refused()) {
            m.put("error", r.error());
            m.put("code", Api.code(r.admission()));
            return m;
        }
        m.put("id", r.id());
        m.put("state", r.state().key());
        m.put("duplicate", r.admission() == Admission.DUPLICATE);
        m.put("page", "/a/" + r.id());
        m.put("status", "/api/analyses/" + r.id());
        return m;
    }

    private static Map<String, Object> upload(Upload u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fileName", u.fileName());
        m.put("note", u.note());
        m.put("ticket", u.ticket());
        m.put("uploaded", time(u.created()));
        return m;
    }

    /** The most recent non-empty note (or ticket) of the uploads. */
    private static String latest(List<Upload> uploads, boolean note) {
        List<Upload> r = new ArrayList<>(uploads);
        for (int i = r.size() - 1; i >= 0; i--) {
            String v = note ? r.get(i).note() : r.get(i).ticket();
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    private static String time(long millis) {
        return millis <= 0 ? null : Instant.ofEpochMilli(millis).toString();
    }
}
