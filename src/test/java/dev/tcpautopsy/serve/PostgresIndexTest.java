package dev.tcpautopsy.serve;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** The index contract on PostgreSQL (a schema of its own in TCPAUTOPSY_TEST_JDBC_URL's database). */
class PostgresIndexTest extends IndexContract {
    static Postgres pg;

    @TempDir
    Path data;

    @BeforeAll
    static void schema() throws Exception {
        pg = Postgres.schema();
    }

    @AfterAll
    static void drop() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    /** Each test starts from an empty schema, so that the migrations run from scratch every time. */
    @BeforeEach
    @Override
    void open() throws Exception {
        try (Connection c = DriverManager.getConnection(pg.url); Statement st = c.createStatement()) {
            for (String t : TABLES) {
                st.execute("DROP TABLE IF EXISTS " + t + " CASCADE");
            }
        }
        super.open();
    }

    @Override
    ServeSettings settings() {
        return ServeSettings.defaults(data).withDatabase(pg.url, null, null);
    }
}
