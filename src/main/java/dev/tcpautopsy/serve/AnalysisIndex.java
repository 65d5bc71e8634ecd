package dev.tcpautopsy.serve;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The index of analyses and uploads in the {@link Database}: every query the service makes. Each
 * analysis belongs to the data directory that holds its files ({@code owner}, the directory's
 * identity): several services may share one database, and each sees, runs and deletes its own only.
 */
final class AnalysisIndex {
    private static final String COLUMNS = "id, sha256, bytes, kind, state, message, created, started, finished, "
            + "attempts, packets, flows, abnormal, summary";
    /** SQLSTATE of a unique constraint violation, the same in H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final Database db;
    private final String owner;

    AnalysisIndex(Database db, String owner) {
        this.db = db;
        this.owner = owner;
    }

    /** Thrown by {@link #insert} when another analysis has the same SHA-256 (a concurrent upload won). */
    static final class DuplicateException extends SQLException {
        DuplicateException(SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause);
        }
    }

    /** A search of the list: every non-null criterion must match; {@code text} matches any field. */
    record Search(String text, String name, String note, String ticket, String host, String cls, int limit) {
        static Search recent(int limit) {
            return new Search(null, null, null, null, null, null, limit);
        }
    }

    Optional<IndexEntry> find(String id) throws SQLException {
        return one("SELECT " + COLUMNS + " FROM analyses WHERE id = ? AND owner = ?", id);
    }

    Optional<IndexEntry> findBySha(String sha256) throws SQLException {
        return one("SELECT " + COLUMNS + " FROM analyses WHERE sha256 = ? AND owner = ?", sha256);
    }

    /** Adds a new analysis and its first upload in one transaction. */
    void insert(IndexEntry a, Upload u) throws SQLException {
        insert(a, u, List.of());
    }

    /** Adds a new analysis, its first upload and, for a pair, its files, in one transaction. */
    void insert(IndexEntry a, Upload u, List<PairFile> files) throws SQLException {
        try (Connection con = db.connection()) {
            Database.inTransaction(con, c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO analyses (id, sha256, bytes, kind, state, "
                        + "created, attempts, owner) VALUES (?, ?, ?, ?, ?, ?, 0, ?)")) {
                    ps.setString(1, a.id());
                    ps.setString(2, a.sha256());
                    ps.setLong(3, a.bytes());
                    ps.setString(4, a.kind());
                    ps.setString(5, a.state().key());
                    ps.setLong(6, a.created());
                    ps.setString(7, owner);
                    ps.executeUpdate();
                }
                IndexRows.insertUpload(c, u);
                IndexRows.insertPairFiles(c, a.id(), files);
            });
        } catch (SQLException e) {
            throw UNIQUE_VIOLATION.equals(e.getSQLState()) ? new DuplicateException(e) : e;
        }
    }

    void addUpload(Upload u) throws SQLException {
        try (Connection con = db.connection()) {
            IndexRows.insertUpload(con, u);
        }
    }

    /** The uploads of these analyses, oldest first, by analysis id. */
    Map<String, List<Upload>> uploads(Collection<String> ids) throws SQLException {
        Map<String, List<Upload>> out = new LinkedHashMap<>();
        byIds("SELECT id, analysis_id, file_name, note, ticket, created FROM uploads WHERE analysis_id IN (%s) "
                + "ORDER BY created, id", ids, rs -> out.computeIfAbsent(rs.getString(2), k -> new ArrayList<>())
                .add(new Upload(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getLong(6))));
        return out;
    }

    /** Flows per class of finished analyses, in class-name order, by analysis id. */
    Map<String, Map<String, Long>> classes(Collection<String> ids) throws SQLException {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        byIds("SELECT analysis_id, termination_class, flows FROM analysis_classes WHERE analysis_id IN (%s)", ids,
                rs -> out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getLong(3)));
        return out;
    }

    /** The files of these pairs, point A's then point B's, each in upload order, by analysis id. */
    Map<String, List<PairFile>> pairFiles(Collection<String> ids) throws SQLException {
        Map<String, List<PairFile>> out = new LinkedHashMap<>();
        byIds("SELECT analysis_id, side, seq, file_name, bytes, kind, sha256 FROM pair_files WHERE analysis_id IN (%s) "
                + "ORDER BY analysis_id, side, seq", ids, rs -> out.computeIfAbsent(rs.getString(1),
                k -> new ArrayList<>()).add(new PairFile(rs.getString(2), rs.getInt(3), rs.getString(4), rs.getLong(5),
                rs.getString(6), rs.getString(7))));
        return out;
    }

    /** One row of a query, for {@link #byIds}. */
    @FunctionalInterface
    private interface Row {
        void take(ResultSet rs) throws SQLException;
    }

    /** Runs {@code sql}, whose {@code %s} becomes one parameter for each of {@code ids}, row by row. */
    private void byIds(String sql, Collection<String> ids, Row row) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        String marks = String.join(", ", ids.stream().map(i -> "?").toList());
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement(String.format(sql, marks))) {
            int i = 1;
            for (String id : ids) {
                ps.setString(i++, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.take(rs);
                }
            }
        }
    }

    /** Marks a queued analysis as running; false when it is no longer queued (deleted meanwhile). */
    boolean claim(String id, long now) throws SQLException {
        return update("UPDATE analyses SET state = 'running', started = ?, finished = NULL, message = NULL, "
                + "attempts = attempts + 1 WHERE id = ? AND owner = ? AND state = 'queued'", now, id, owner) == 1;
    }

    /** Records a finished analysis with what it found; {@code warning} is null for a capture read to its end. */
    void finishDone(String id, Facts f, String warning, long now) throws SQLException {
        try (Connection con = db.connection()) {
            Database.inTransaction(con, c -> {
                IndexRows.deleteFacts(c, id);
                try (PreparedStatement ps = c.prepareStatement("UPDATE analyses SET state = 'done', message = ?, "
                        + "finished = ?, packets = ?, flows = ?, abnormal = ?, summary = ? WHERE id = ? "
                        + "AND state = 'running'")) {
                    ps.setString(1, warning);
                    ps.setLong(2, now);
                    ps.setLong(3, f.packets());
                    ps.setLong(4, f.flows());
                    ps.setLong(5, f.abnormal());
                    ps.setString(6, clip(f.summary(), 2000));
                    ps.setString(7, id);
                    ps.executeUpdate();
                }
                IndexRows.insertFacts(c, id, f);
            });
        }
    }

    void finishFailed(String id, String reason, long now) throws SQLException {
        update("UPDATE analyses SET state = 'failed', message = ?, finished = ? WHERE id = ? AND state = 'running'",
                clip(reason, 2000), now, id);
    }

    /** Queues a failed analysis again (its capture was uploaded again); false when it had not failed. */
    boolean retry(String id) throws SQLException {
        return update("UPDATE analyses SET state = 'queued', message = NULL, started = NULL, finished = NULL, "
                + "attempts = 0 WHERE id = ? AND state = 'failed'", id) == 1;
    }

    int countQueued() throws SQLException {
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement(
                "SELECT COUNT(*) FROM analyses WHERE owner = ? AND state = 'queued'")) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    List<String> queuedIds() throws SQLException {
        return ids("SELECT id FROM analyses WHERE owner = ? AND state = 'queued' ORDER BY created, id");
    }

    Set<String> allIds() throws SQLException {
        return new HashSet<>(ids("SELECT id FROM analyses WHERE owner = ?"));
    }

    /**
     * After a stop in the middle of analyses: those taken up fewer than {@code maxAttempts} times go
     * back to the queue, the others fail with {@code reason}. Returns how many failed.
     */
    int recoverInterrupted(int maxAttempts, String reason, long now) throws SQLException {
        int failed = update("UPDATE analyses SET state = 'failed', message = ?, finished = ? WHERE owner = ? "
                + "AND state = 'running' AND attempts >= ?", reason, now, owner, maxAttempts);
        update("UPDATE analyses SET state = 'queued', started = NULL WHERE owner = ? AND state = 'running'", owner);
        return failed;
    }

    /**
     * Takes the analyses of an index from before analyses had owners (there was one service per
     * index then): they are this data directory's. Returns how many.
     */
    int adoptUnowned() throws SQLException {
        return update("UPDATE analyses SET owner = ? WHERE owner IS NULL", owner);
    }

    /** At an orderly shutdown: running analyses go back to the queue, and the interruption does not count. */
    void release(Collection<String> ids) throws SQLException {
        for (String id : ids) {
            update("UPDATE analyses SET state = 'queued', started = NULL, attempts = attempts - 1 "
                    + "WHERE id = ? AND owner = ? AND state = 'running'", id, owner);
        }
    }

    boolean delete(String id) throws SQLException {
        return update("DELETE FROM analyses WHERE id = ? AND owner = ?", id, owner) == 1;
    }

    List<IndexEntry> search(Search q) throws SQLException {
        return new SearchQuery(q, owner).run(db);
    }

    /** The row of a query with two parameters: {@code arg}, then the owner. */
    private Optional<IndexEntry> one(String sql, String arg) throws SQLException {
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setString(1, arg);
            ps.setString(2, owner);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** The ids a query with one parameter, the owner, selects. */
    private List<String> ids(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setString(1, owner);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private int update(String sql, Object... args) throws SQLException {
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    static String columns() {
        return COLUMNS;
    }

    static IndexEntry row(ResultSet rs) throws SQLException {
        return new IndexEntry(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), State.of(rs.getString(5)),
                rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getInt(10), orMinus(rs, 11),
                orMinus(rs, 12), orMinus(rs, 13), rs.getString(14));
    }

    private static long orMinus(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? -1 : v;
    }

    static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
