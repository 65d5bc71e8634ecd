package dev.tcpautopsy.serve;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransactionTest {
    @Test
    void workThatThrowsLeavesNothingAndTheConnectionBackInAutoCommit() throws SQLException {
        try (Connection con = DriverManager.getConnection("jdbc:h2:mem:tx-" + System.nanoTime());
             Statement st = con.createStatement()) {
            st.execute("CREATE TABLE t (v INTEGER)");
            SQLException boom = new SQLException("second statement failed");
            SQLException thrown = assertThrows(SQLException.class, () -> Database.inTransaction(con, c -> {
                c.createStatement().executeUpdate("INSERT INTO t VALUES (1)");
                throw boom;
            }));
            assertSame(boom, thrown);
            assertEquals(0, count(st));
            assertTrue(con.getAutoCommit());

            Database.inTransaction(con, c -> c.createStatement().executeUpdate("INSERT INTO t VALUES (2)"));
            assertEquals(1, count(st));
            assertTrue(con.getAutoCommit());
        }
    }

    private static int count(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
