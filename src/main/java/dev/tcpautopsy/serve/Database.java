package dev.tcpautopsy.serve;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The index database: a pool of connections and the schema, created or migrated at start. The SQL
 * is the common subset of H2 and PostgreSQL (BIGINT times in epoch milliseconds, VARCHAR text), so
 * one schema and one set of queries serve both.
 */
final class Database implements AutoCloseable {
    /**
     * The migrations, in order; the schema's version is the number applied. Append, never edit:
     * a database in the field has run the old ones.
     */
    static final List<List<String>> MIGRATIONS = List.of(List.of(
            """
            CREATE TABLE analyses (
              id VARCHAR(20) PRIMARY KEY,
              sha256 VARCHAR(64) NOT NULL,
              bytes BIGINT NOT NULL,
              kind VARCHAR(16) NOT NULL,
              state VARCHAR(10) NOT NULL,
              message VARCHAR(2000),
              created BIGINT NOT NULL,
              started BIGINT,
              finished BIGINT,
              attempts INTEGER DEFAULT 0 NOT NULL,
              packets BIGINT,
              flows BIGINT,
              abnormal BIGINT
            )""",
            "CREATE UNIQUE INDEX analyses_sha256 ON analyses (sha256)",
            "CREATE INDEX analyses_state ON analyses (state, created)",
            "CREATE INDEX analyses_created ON analyses (created)",
            """
            CREATE TABLE uploads (
              id VARCHAR(20) PRIMARY KEY,
              analysis_id VARCHAR(20) NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
              file_name VARCHAR(255) NOT NULL,
              note VARCHAR(2000),
              ticket VARCHAR(200),
              created BIGINT NOT NULL
            )""",
            "CREATE INDEX uploads_analysis ON uploads (analysis_id)",
            """
            CREATE TABLE analysis_classes (
              analysis_id VARCHAR(20) NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
              termination_class VARCHAR(32) NOT NULL,
              flows BIGINT NOT NULL,
              PRIMARY KEY (analysis_id, termination_class)
            )""",
            """
            CREATE TABLE analysis_hosts (
              analysis_id VARCHAR(20) NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
              host VARCHAR(64) NOT NULL,
              PRIMARY KEY (analysis_id, host)
            )""",
            "CREATE INDEX analysis_hosts_host ON analysis_hosts (host)"),
            // 2: analyses belong to the data directory holding their files; a lease per data directory
            List.of(
            "ALTER TABLE analyses ADD COLUMN owner VARCHAR(20)",
            "DROP INDEX analyses_sha256",
            "CREATE UNIQUE INDEX analyses_owner_sha256 ON analyses (owner, sha256)",
            "DROP INDEX analyses_state",
            "CREATE INDEX analyses_owner_state ON analyses (owner, state, created)",
            """
            CREATE TABLE services (
              instance VARCHAR(20) PRIMARY KEY,
              session VARCHAR(20) NOT NULL,
              holder VARCHAR(1000) NOT NULL,
              seen BIGINT NOT NULL
            )"""),
            // 3: pairs of captures compared (kind 'pair'): the files of each side, and the comparison's headline
            List.of(
            "ALTER TABLE analyses ADD COLUMN summary VARCHAR(2000)",
            """
            CREATE TABLE pair_files (
              analysis_id VARCHAR(20) NOT NULL REFERENCES analyses (id) ON DELETE CASCADE,
              side VARCHAR(1) NOT NULL,
              seq INTEGER NOT NULL,
              file_name VARCHAR(255) NOT NULL,
              bytes BIGINT NOT NULL,
              kind VARCHAR(16) NOT NULL,
              sha256 VARCHAR(64) NOT NULL,
              PRIMARY KEY (analysis_id, side, seq)
            )"""));

    private final HikariDataSource pool;
    private final String description;

    private Database(HikariDataSource pool, String description) {
        this.pool = pool;
        this.description = description;
    }

    /**
     * Opens the database named by the settings (the embedded file under the data directory when no
     * URL is given) and brings its schema up to date.
     *
     * @throws SQLException with a message fit for one line when it cannot be reached or migrated
     */
    static Database open(ServeSettings s) throws SQLException {
        HikariConfig c = new HikariConfig();
        String description;
        if (s.jdbcUrl() == null) {
            Path file = s.data().resolve("index");
            // DB_CLOSE_ON_EXIT=FALSE: the service closes the pool itself, after its last write at shutdown
            c.setJdbcUrl("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000");
            c.setUsername("tcpautopsy");
            c.setPassword("");
            description = "embedded H2 " + file + ".mv.db";
        } else {
            c.setJdbcUrl(s.jdbcUrl());
            if (s.dbUser() != null) {
                c.setUsername(s.dbUser());
            }
            if (s.dbPassword() != null) {
                c.setPassword(s.dbPassword());
            }
            description = redact(s.jdbcUrl());
        }
        c.setPoolName("tcpautopsy-index");
        c.setMaximumPoolSize(8);
        c.setConnectionTimeout(10_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(c);
        } catch (RuntimeException e) {
            throw new SQLException("cannot open the index database " + description + ": " + rootMessage(e), e);
        }
        Database db = new Database(pool, description);
        try {
            db.migrate();
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw new SQLException("cannot create the schema in " + description + ": " + rootMessage(e), e);
        }
        return db;
    }

    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** What the index is, for the start-up line: never the password. */
    String description() {
        return description;
    }

    /** Applies the migrations the database has not seen, each in its own transaction. */
    int migrate() throws SQLException {
        try (Connection con = connection(); Statement st = con.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS tcpautopsy_schema (version INTEGER NOT NULL)");
            int version = version(con);
            if (version < 0) {
                st.executeUpdate("INSERT INTO tcpautopsy_schema (version) VALUES (0)");
                version = 0;
            }
            if (version > MIGRATIONS.size()) {
                throw new SQLException("the index has schema version " + version + ", newer than this tcpautopsy ("
                        + MIGRATIONS.size() + "): upgrade tcpautopsy");
            }
            int from = version;
            inTransaction(con, c -> {
                for (int v = from; v < MIGRATIONS.size(); v++) {
                    for (String sql : MIGRATIONS.get(v)) {
                        st.execute(sql);
                    }
                    st.executeUpdate("UPDATE tcpautopsy_schema SET version = " + (v + 1));
                    c.commit();
                }
            });
            return version(con);
        }
    }

    /** Work on one connection, for {@link #inTransaction}. */
    @FunctionalInterface
    interface SqlWork {
        void run(Connection con) throws SQLException;
    }

    /**
     * Runs {@code work} with auto-commit off: committed when it returns (it may commit steps of its
     * own on the way), rolled back when it throws; auto-commit is back on either way, since the
     * connection returns to the pool.
     */
    static void inTransaction(Connection con, SqlWork work) throws SQLException {
        con.setAutoCommit(false);
        try {
            work.run(con);
            con.commit();
        } catch (SQLException | RuntimeException e) {
            con.rollback();
            throw e;
        } finally {
            con.setAutoCommit(true);
        }
    }

    int version() throws SQLException {
        try (Connection con = connection()) {
            return version(con);
        }
    }

    private static int version(Connection con) throws SQLException {
        try (Statement st = con.createStatement(); ResultSet rs = st.executeQuery("SELECT version FROM tcpautopsy_schema")) {
            return rs.next() ? rs.getInt(1) : -1;
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        // H2 appends its error code and a URL on later lines: keep the first
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).trim();
    }

    /** A JDBC URL without its password parameter. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    @Override
    public void close() {
        pool.close();
    }
}
