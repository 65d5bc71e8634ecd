package dev.tcpautopsy.serve;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the service needs of its index, run against each database it supports (H2 embedded, PostgreSQL). */
abstract class IndexContract {
    static final String OWNER = "ownerownerownerowner";
    /** Every table of the schema, those that refer to others first. */
    static final String[] TABLES = {"pair_files", "analysis_hosts", "analysis_classes", "uploads", "analyses",
        "services", "tcpautopsy_schema"};
    Database db;
    AnalysisIndex index;

    /** Settings whose database is the one under test. */
    abstract ServeSettings settings() throws Exception;

    @BeforeEach
    void open() throws Exception {
        db = Database.open(settings());
        index = new AnalysisIndex(db, OWNER);
    }

    @AfterEach
    void closeDb() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theSchemaIsCreatedOnceAndThenLeftAlone() throws Exception {
        assertEquals(Database.MIGRATIONS.size(), db.version());
        add("a1aaaaaaaaaaaaaaaaaa", "sha-1", 1000, "x.pcap", "T-1", "n");
        db.close();
        db = Database.open(settings());
        index = new AnalysisIndex(db, OWNER);
        assertEquals(Database.MIGRATIONS.size(), db.version());
        assertTrue(index.find("a1aaaaaaaaaaaaaaaaaa").isPresent(), "what was there is still there");
        assertEquals(0, db.migrate() - Database.MIGRATIONS.size(), "nothing left to apply");
    }

    @Test
    void aSchemaFromANewerReleaseIsRefused() throws Exception {
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE tcpautopsy_schema SET version = 99");
        }
        db.close();
        SQLException e = assertThrows(SQLException.class, () -> Database.open(settings()));
        assertTrue(e.getMessage().contains("newer than this tcpautopsy"), e.getMessage());
        db = null;
    }

    @Test
    void oneAnalysisPerContent() throws Exception {
        add("b1aaaaaaaaaaaaaaaaaa", "same", 10, "one.pcap", null, null);
        IndexEntry a = index.findBySha("same").orElseThrow();
        assertEquals("b1aaaaaaaaaaaaaaaaaa", a.id());
        assertEquals(State.QUEUED, a.state());
        assertEquals(-1, a.flows(), "no results yet");
        assertThrows(AnalysisIndex.DuplicateException.class, () -> add("b2aaaaaaaaaaaaaaaaaa", "same", 10, "two.pcap", null, null));
        assertTrue(index.find("b2aaaaaaaaaaaaaaaaaa").isEmpty(), "the losing insert left nothing");
        assertTrue(index.uploads(List.of("b2aaaaaaaaaaaaaaaaaa")).isEmpty());
        index.addUpload(new Upload("u2aaaaaaaaaaaaaaaaaa", a.id(), "two.pcap", "again", "T-2", 20));
        assertEquals(List.of("one.pcap", "two.pcap"), index.uploads(List.of(a.id())).get(a.id()).stream()
                .map(Upload::fileName).toList());
    }

    @Test
    void anAnalysisGoesFromQueuedToDoneWithItsFacts() throws Exception {
        String id = "c1aaaaaaaaaaaaaaaaaa";
        add(id, "sha-c", 500, "lb.pcap", "INC-9", "load balancer resets");
        assertEquals(1, index.countQueued());
        assertEquals(List.of(id), index.queuedIds());
        assertTrue(index.claim(id, 2000));
        assertFalse(index.claim(id, 2001), "taken once");
        assertEquals(0, index.countQueued());
        Facts f = new Facts(40, 3, 2, "pcap", false, null, Map.of("RST_ABORT", 2L, "FIN_ORDERLY", 1L),
                List.of("198.18.0.2", "2001:DB8::2"), false, null);
        index.finishDone(id, f, null, 3000);
        IndexEntry a = index.find(id).orElseThrow();
        assertEquals(State.DONE, a.state());
        assertEquals(1, a.attempts());
        assertEquals(2000, a.started());
        assertEquals(3000, a.finished());
        assertEquals(40, a.packets());
        assertEquals(3, a.flows());
        assertEquals(2, a.abnormal());
        assertEquals(Map.of("FIN_ORDERLY", 1L, "RST_ABORT", 2L), index.classes(List.of(id)).get(id));
        assertEquals(List.of(id), ids(new AnalysisIndex.Search(null, null, null, null, "2001:db8::2", null, 10)));
        assertFalse(index.retry(id), "only a failed analysis is retried");
    }

    @Test
    void searchMatchesEachFieldNewestFirst() throws Exception {
        add("d1aaaaaaaaaaaaaaaaaa", "sha-d1", 1, "edge-proxy.pcap", "NET-1", "50%_of requests");
        add("d2aaaaaaaaaaaaaaaaaa", "sha-d2", 1, "db.pcapng", "DB-7", "pool resets");
        index.claim("d2aaaaaaaaaaaaaaaaaa", 5);
        index.finishDone("d2aaaaaaaaaaaaaaaaaa", new Facts(1, 1, 1, "pcapng", false, null,
                Map.of("MIDDLEBOX_RST", 1L), List.of("198.18.1.2"), false, null), null, 6);
        assertEquals(List.of("d2aaaaaaaaaaaaaaaaaa", "d1aaaaaaaaaaaaaaaaaa"), ids(AnalysisIndex.Search.recent(10)));
        assertEquals(List.of("d2aaaaaaaaaaaaaaaaaa"), ids(AnalysisIndex.Search.recent(1)));
        assertEquals(List.of("d1aaaaaaaaaaaaaaaaaa"), ids(search("EDGE")));
        assertEquals(List.of("d2aaaaaaaaaaaaaaaaaa"), ids(search("db-7")));
        assertEquals(List.of("d2aaaaaaaaaaaaaaaaaa"), ids(search("pool")));
        assertEquals(List.of("d2aaaaaaaaaaaaaaaaaa"), ids(search("198.18.1")));
        assertEquals(List.of("d2aaaaaaaaaaaaaaaaaa"), ids(search("middlebox_rst")));
        assertEquals(List.of("d1aaaaaaaaaaaaaaaaaa"), ids(search("50%_")), "wildcards are literal");
        assertEquals(List.of(), ids(search("5%")));
        assertEquals(List.of("d2aaaaaaaaaaaaaaaaaa"), ids(new AnalysisIndex.Search(null, null, null, null, null,
                "MIDDLEBOX_RST", 10)));
        assertEquals(List.of(), ids(new AnalysisIndex.Search(null, null, null, "NET-1", null, "MIDDLEBOX_RST", 10)));
        assertEquals(List.of("d1aaaaaaaaaaaaaaaaaa"), ids(new AnalysisIndex.Search(null, "proxy", "requests", "net", null,
                null, 10)));
    }

    @Test
    void aPairKeepsItsFilesInOrderAndItsHeadline() throws Exception {
        String id = "p1aaaaaaaaaaaaaaaaaa";
        List<PairFile> files = List.of(new PairFile("a", 1, "client-1.pcap", 10, "pcap", "sha-x"),
                new PairFile("a", 2, "client-2.pcap.gz", 20, "pcap.gz", "sha-y"),
                new PairFile("b", 1, "server.pcapng", 30, "pcapng", "sha-z"));
        index.insert(IndexEntry.queued(id, "sha-pair", 60, IndexEntry.PAIR, 1),
                new Upload("q1aaaaaaaaaaaaaaaaaa", id, "client-1.pcap, client-2.pcap.gz vs server.pcapng", null, "PAIR-1", 1),
                files);
        add("p2aaaaaaaaaaaaaaaaaa", "sha-single", 5, "single.pcap", null, null);
        assertTrue(index.find(id).orElseThrow().pair());
        assertFalse(index.find("p2aaaaaaaaaaaaaaaaaa").orElseThrow().pair());
        assertEquals(Map.of(id, files), index.pairFiles(List.of(id, "p2aaaaaaaaaaaaaaaaaa")));
        // a point's file is found by its name alone, whatever the upload's name says
        assertEquals(List.of(id), ids(new AnalysisIndex.Search(null, "client-2", null, null, null, null, 10)));
        assertEquals(List.of(id), ids(search("server.pcapng")));

        index.claim(id, 2);
        index.finishDone(id, new Facts(70, 4, 1, "pair", false, null, Map.of("MIDDLEBOX_RST", 1L, "FIN_ORDERLY", 3L),
                List.of("198.18.0.2", "198.18.1.2"), false, "3 of 4 connections identical at both points; 1 got a RST "
                + "from in between"), null, 3);
        IndexEntry done = index.find(id).orElseThrow();
        assertEquals("3 of 4 connections identical at both points; 1 got a RST from in between", done.summary());
        assertEquals(4, done.flows());
        assertEquals(List.of(id), ids(new AnalysisIndex.Search(null, null, null, null, null, "MIDDLEBOX_RST", 10)));
        assertTrue(index.delete(id));
        assertEquals(0, count("SELECT COUNT(*) FROM pair_files WHERE analysis_id = '" + id + "'"), "its files go with it");
    }

    @Test
    void interruptedAnalysesAreQueuedAgainOrFailedWithTheReason() throws Exception {
        add("e1aaaaaaaaaaaaaaaaaa", "sha-e1", 1, "once.pcap", null, null);
        add("e2aaaaaaaaaaaaaaaaaa", "sha-e2", 1, "twice.pcap", null, null);
        add("e3aaaaaaaaaaaaaaaaaa", "sha-e3", 1, "orderly.pcap", null, null);
        index.claim("e1aaaaaaaaaaaaaaaaaa", 1);
        index.claim("e2aaaaaaaaaaaaaaaaaa", 1);
        index.claim("e3aaaaaaaaaaaaaaaaaa", 1);
        index.release(List.of("e3aaaaaaaaaaaaaaaaaa"));
        assertEquals(0, index.find("e3aaaaaaaaaaaaaaaaaa").orElseThrow().attempts(), "an orderly stop does not count");
        // e2 was taken up a second time, then the service died again
        index.recoverInterrupted(2, "x", 2);
        index.claim("e2aaaaaaaaaaaaaaaaaa", 3);
        assertEquals(1, index.recoverInterrupted(2, "stopped twice", 4));
        IndexEntry e2 = index.find("e2aaaaaaaaaaaaaaaaaa").orElseThrow();
        assertEquals(State.FAILED, e2.state());
        assertEquals("stopped twice", e2.message());
        assertEquals(State.QUEUED, index.find("e1aaaaaaaaaaaaaaaaaa").orElseThrow().state());
        assertTrue(index.retry("e2aaaaaaaaaaaaaaaaaa"));
        IndexEntry again = index.find("e2aaaaaaaaaaaaaaaaaa").orElseThrow();
        assertEquals(State.QUEUED, again.state());
        assertEquals(0, again.attempts());
    }

    @Test
    void deletingAnAnalysisDeletesEverythingAboutIt() throws Exception {
        String id = "f1aaaaaaaaaaaaaaaaaa";
        add(id, "sha-f", 1, "gone.pcap", "T", "n");
        index.claim(id, 1);
        index.finishDone(id, new Facts(1, 1, 0, "pcap", false, null, Map.of("FIN_ORDERLY", 1L), List.of("198.18.0.9"),
                false, null), null, 2);
        assertTrue(index.delete(id));
        assertFalse(index.delete(id));
        for (String table : List.of("uploads", "analysis_classes", "analysis_hosts", "pair_files")) {
            assertEquals(0, count("SELECT COUNT(*) FROM " + table + " WHERE analysis_id = '" + id + "'"), table);
        }
        assertEquals(Map.of(), index.classes(List.of(id)));
    }

    @Test
    void eachDataDirectorySeesRunsAndDeletesOnlyItsOwnAnalyses() throws Exception {
        AnalysisIndex other = new AnalysisIndex(db, "otherotherotherother");
        add("g1aaaaaaaaaaaaaaaaaa", "same", 1, "mine.pcap", "T", null);
        other.insert(IndexEntry.queued("g2aaaaaaaaaaaaaaaaaa", "same", 1, "pcap", 2),
                new Upload("v2aaaaaaaaaaaaaaaaaa", "g2aaaaaaaaaaaaaaaaaa", "theirs.pcap", null, "T", 2));
        other.insert(IndexEntry.queued("g3aaaaaaaaaaaaaaaaaa", "sha-g3", 1, "pcap", 3),
                new Upload("v3aaaaaaaaaaaaaaaaaa", "g3aaaaaaaaaaaaaaaaaa", "running.pcap", null, "T", 3));
        assertTrue(other.claim("g3aaaaaaaaaaaaaaaaaa", 4));
        // the same content in two data directories is two analyses, each with its files in its directory
        assertEquals("g1aaaaaaaaaaaaaaaaaa", index.findBySha("same").orElseThrow().id());
        assertEquals("g2aaaaaaaaaaaaaaaaaa", other.findBySha("same").orElseThrow().id());
        assertTrue(index.find("g2aaaaaaaaaaaaaaaaaa").isEmpty());
        assertEquals(List.of("g1aaaaaaaaaaaaaaaaaa"), index.queuedIds());
        assertEquals(1, index.countQueued());
        assertEquals(java.util.Set.of("g1aaaaaaaaaaaaaaaaaa"), index.allIds());
        assertEquals(List.of("g1aaaaaaaaaaaaaaaaaa"), ids(search("t")));
        assertFalse(index.claim("g2aaaaaaaaaaaaaaaaaa", 5), "not this directory's to run");
        assertFalse(index.delete("g2aaaaaaaaaaaaaaaaaa"));
        index.recoverInterrupted(1, "x", 6);
        assertEquals(State.RUNNING, other.find("g3aaaaaaaaaaaaaaaaaa").orElseThrow().state(),
                "another directory's running analysis is not recovered here");
        index.release(List.of("g3aaaaaaaaaaaaaaaaaa"));
        assertEquals(State.RUNNING, other.find("g3aaaaaaaaaaaaaaaaaa").orElseThrow().state());
    }

    @Test
    void analysesFromBeforeIdentitiesAreAdoptedByTheFirstServiceToStart() throws Exception {
        add("h1aaaaaaaaaaaaaaaaaa", "sha-h1", 1, "old.pcap", null, null);
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE analyses SET owner = NULL");
        }
        assertTrue(index.find("h1aaaaaaaaaaaaaaaaaa").isEmpty());
        assertEquals(1, index.adoptUnowned());
        assertEquals(0, new AnalysisIndex(db, "otherotherotherother").adoptUnowned(), "adopted once");
        assertEquals(List.of("h1aaaaaaaaaaaaaaaaaa"), index.queuedIds());
    }

    @Test
    void anIndexOfTheFirstSchemaIsMigratedWithItsAnalyses() throws Exception {
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            for (String t : TABLES) {
                st.execute("DROP TABLE IF EXISTS " + t + " CASCADE");
            }
            st.execute("CREATE TABLE tcpautopsy_schema (version INTEGER NOT NULL)");
            st.executeUpdate("INSERT INTO tcpautopsy_schema (version) VALUES (1)");
            for (String sql : Database.MIGRATIONS.get(0)) {
                st.execute(sql);
            }
            st.executeUpdate("INSERT INTO analyses (id, sha256, bytes, kind, state, created, attempts) "
                    + "VALUES ('i1aaaaaaaaaaaaaaaaaa', 'sha-i1', 1, 'pcap', 'queued', 1, 0)");
        }
        db.close();
        db = Database.open(settings());
        index = new AnalysisIndex(db, OWNER);
        assertEquals(Database.MIGRATIONS.size(), db.version());
        assertEquals(1, index.adoptUnowned());
        assertEquals(List.of("i1aaaaaaaaaaaaaaaaaa"), index.queuedIds());
    }

    @Test
    void aDataDirectoryIsLeasedToOneLiveServiceAtATime() throws Exception {
        String instance = "leaseleaseleaselease";
        java.time.Instant t = java.time.Instant.parse("2026-01-01T00:00:00Z");
        ServiceLease a = new ServiceLease(db, instance, "host-a:/srv/tcpautopsy", clock(t));
        a.acquire();
        assertTrue(a.renew());
        // a copy of the directory served from another host while the first still runs
        ServiceLease copy = new ServiceLease(db, instance, "host-b:/srv/tcpautopsy", clock(t.plusSeconds(20)));
        SQLException e = assertThrows(SQLException.class, copy::acquire);
        assertTrue(e.getMessage().contains("host-a:/srv/tcpautopsy") && e.getMessage().contains("20 s ago"), e.getMessage());
        new ServiceLease(db, "otherotherotherother", "host-b:/srv/other", clock(t)).acquire();
        // the same directory restarted where it ran (its lock file proved the old service gone) takes it at once
        ServiceLease restarted = new ServiceLease(db, instance, "host-a:/srv/tcpautopsy", clock(t.plusSeconds(1)));
        restarted.acquire();
        assertFalse(a.renew(), "the service it replaced knows it lost the lease");
        assertTrue(restarted.renew());
        // once the holder has gone silent for the lease's time, another may take it
        new ServiceLease(db, instance, "host-b:/srv/tcpautopsy", clock(t.plus(ServiceLease.TTL).plusSeconds(2))).acquire();
        assertFalse(restarted.renew());
        restarted.release();
        assertThrows(SQLException.class, () -> new ServiceLease(db, instance, "host-c:/x", clock(t.plusSeconds(80)))
                .acquire(), "a release by a former holder leaves the present one's lease alone");
    }

    private static java.time.Clock clock(java.time.Instant t) {
        return java.time.Clock.fixed(t, java.time.ZoneOffset.UTC);
    }

    private void add(String id, String sha, long bytes, String name, String ticket, String note) throws SQLException {
        index.insert(IndexEntry.queued(id, sha, bytes, "pcap", System.nanoTime()),
                new Upload("u" + id.substring(1), id, name, note, ticket, 1));
    }

    private static AnalysisIndex.Search search(String text) {
        return new AnalysisIndex.Search(text, null, null, null, null, null, 10);
    }

    private List<String> ids(AnalysisIndex.Search s) throws SQLException {
        return index.search(s).stream().map(IndexEntry::id).toList();
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.connection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static ServeSettings embedded(Path data) {
        return ServeSettings.defaults(data);
    }
}
