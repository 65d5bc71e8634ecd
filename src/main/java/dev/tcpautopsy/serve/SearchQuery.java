package dev.tcpautopsy.serve;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Builds and runs the list's search: newest first, each criterion a case-insensitive substring match. */
final class SearchQuery {
    private final StringBuilder sql = new StringBuilder("SELECT " + AnalysisIndex.columns() + " FROM analyses a WHERE a.owner = ?");
    private final List<Object> args = new ArrayList<>();

    /** @param owner the data directory whose analyses are searched */
    SearchQuery(AnalysisIndex.Search q, String owner) {
        args.add(owner);
        if (present(q.text())) {
            String p = pattern(q.text());
            sql.append(" AND (").append(upload("u.file_name")).append(" OR ").append(pairFile()).append(" OR ")
                    .append(upload("u.note")).append(" OR ").append(upload("u.ticket")).append(" OR ").append(host())
                    .append(" OR ").append(cls()).append(" OR a.id = ? OR a.sha256 = ?)");
            args.addAll(List.of(p, p, p, p, p, p, q.text().trim().toLowerCase(Locale.ROOT),
                    q.text().trim().toLowerCase(Locale.ROOT)));
        }
        if (present(q.name())) {
            sql.append(" AND (").append(upload("u.file_name")).append(" OR ").append(pairFile()).append(')');
            args.addAll(List.of(pattern(q.name()), pattern(q.name())));
        }
        criterion(q.note(), upload("u.note"));
        criterion(q.ticket(), upload("u.ticket"));
        criterion(q.host(), host());
        if (present(q.cls())) {
            sql.append(" AND EXISTS (SELECT 1 FROM analysis_classes c WHERE c.analysis_id = a.id "
                    + "AND c.termination_class = ?)");
            args.add(q.cls().trim().toUpperCase(Locale.ROOT));
        }
        sql.append(" ORDER BY a.created DESC, a.id LIMIT ?");
        args.add(Math.max(1, Math.min(q.limit(), 500)));
    }

    List<IndexEntry> run(Database db) throws SQLException {
        List<IndexEntry> out = new ArrayList<>();
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(AnalysisIndex.row(rs));
                }
            }
        }
        return out;
    }

    private void criterion(String value, String condition) {
        if (present(value)) {
            sql.append(" AND ").append(condition);
            args.add(pattern(value));
        }
    }

    private static String upload(String column) {
        return "EXISTS (SELECT 1 FROM uploads u WHERE u.analysis_id = a.id AND LOWER(" + column + ") LIKE ? ESCAPE '!')";
    }

    /** A file of a pair by its own name (the upload's name joins them, and may be cut short). */
    private static String pairFile() {
        return "EXISTS (SELECT 1 FROM pair_files f WHERE f.analysis_id = a.id AND LOWER(f.file_name) LIKE ? ESCAPE '!')";
    }

    private static String host() {
        return "EXISTS (SELECT 1 FROM analysis_hosts h WHERE h.analysis_id = a.id AND h.host LIKE ? ESCAPE '!')";
    }

    private static String cls() {
        return "EXISTS (SELECT 1 FROM analysis_classes c WHERE c.analysis_id = a.id "
                + "AND LOWER(c.termination_class) LIKE ? ESCAPE '!')";
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    /** A LIKE pattern matching the text anywhere, its wildcards taken literally. */
    static String pattern(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return "%" + t + "%";
    }
}
