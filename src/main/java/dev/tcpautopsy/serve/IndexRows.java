package dev.tcpautopsy.serve;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows that go with an analysis in the index (its uploads, a pair's files, its facts), each written
 * on the caller's connection, in its transaction.
 */
final class IndexRows {
    private IndexRows() {
    }

    static void insertUpload(Connection con, Upload u) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement("INSERT INTO uploads (id, analysis_id, file_name, note, ticket, "
                + "created) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, u.id());
            ps.setString(2, u.analysisId());
            ps.setString(3, u.fileName());
            ps.setString(4, u.note());
            ps.setString(5, u.ticket());
            ps.setLong(6, u.created());
            ps.executeUpdate();
        }
    }

    static void insertPairFiles(Connection con, String id, List<PairFile> files) throws SQLException {
        if (files.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = con.prepareStatement("INSERT INTO pair_files (analysis_id, side, seq, file_name, "
                + "bytes, kind, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (PairFile f : files) {
                ps.setString(1, id);
                ps.setString(2, f.side());
                ps.setInt(3, f.seq());
                ps.setString(4, f.fileName());
                ps.setLong(5, f.bytes());
                ps.setString(6, f.kind());
                ps.setString(7, f.sha256());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The classes and hosts of a finished analysis, for the list and its search. */
    static void insertFacts(Connection c, String id, Facts f) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO analysis_classes (analysis_id, termination_class, flows) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, Long> e : f.byClass().entrySet()) {
                ps.setString(1, id);
                ps.setString(2, e.getKey());
                ps.setLong(3, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO analysis_hosts (analysis_id, host) VALUES (?, ?)")) {
            for (String h : new HashSet<>(f.hosts())) {
                ps.setString(1, id);
                ps.setString(2, h.toLowerCase(Locale.ROOT));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static void deleteFacts(Connection con, String id) throws SQLException {
        for (String t : new String[] {"analysis_classes", "analysis_hosts"}) {
            try (PreparedStatement ps = con.prepareStatement("DELETE FROM " + t + " WHERE analysis_id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
        }
    }
}
