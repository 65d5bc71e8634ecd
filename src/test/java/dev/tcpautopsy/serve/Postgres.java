package dev.tcpautopsy.serve;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The PostgreSQL the tests use: TCPAUTOPSY_TEST_JDBC_URL, which .ci/run points at a throwaway cluster
 * (.ci/pg-throwaway). Without it the tests are skipped, except under CI, where they must run.
 * Each test class gets a schema of its own, dropped at the end.
 */
final class Postgres implements AutoCloseable {
    static final String VARIABLE = "TCPAUTOPSY_TEST_JDBC_URL";

    final String url;
    private final String base;
    private final String schema;

    private Postgres(String base, String schema) {
        this.base = base;
        this.schema = schema;
        this.url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** A fresh schema in the test database; skips (or fails under CI) when there is none. */
    static Postgres schema() throws SQLException {
        String base = System.getenv(VARIABLE);
        if (base == null || base.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(VARIABLE + " is not set: under CI the PostgreSQL store must be tested (.ci/run starts one)");
            }
            assumeTrue(false, "skipped: no PostgreSQL; set " + VARIABLE + " (e.g. the URL printed by "
                    + ".ci/pg-throwaway start /tmp/pg) to run the store tests against one");
        }
        String schema = "t_" + Long.toString(System.nanoTime(), 36);
        try (Connection c = DriverManager.getConnection(base); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        return new Postgres(base, schema);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(base); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
