package dev.tcpautopsy.serve;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * A data directory's lease in the index: the row of its identity names the service (host, path,
 * a random session) that serves it, renewed every {@link #RENEW}. A second live service with the
 * same identity (a copy of the directory on another host, a directory shared over the network)
 * would requeue and run the first one's analyses: it is refused until the lease has not been
 * renewed for {@link #TTL}. A restart on the same host and path takes the lease at once: the
 * directory's lock file has just shown that the service before it is gone.
 */
final class ServiceLease {
    static final Duration TTL = Duration.ofSeconds(60);
    static final Duration RENEW = Duration.ofSeconds(10);

    private final Database db;
    private final String instance;
    private final String session = DataDir.newId();
    private final String holder;
    private final Clock clock;

    /** @param holder where this service runs: host and data directory */
    ServiceLease(Database db, String instance, String holder, Clock clock) {
        this.db = db;
        this.instance = instance;
        this.holder = holder;
        this.clock = clock;
    }

    /**
     * A data directory's identity (its file {@code instance}), made at its first use: it goes with
     * the directory (a copy, a move to another host), since the analyses it marks have their files there.
     */
    static String identity(Path root) throws IOException {
        Path file = root.resolve("instance");
        if (Files.exists(file)) {
            String id = Files.readString(file).trim();
            if (!DataDir.isId(id)) {
                throw new IOException("the data directory's identity file " + file + " is damaged (expected 20 "
                        + "characters a-z, 2-7): restore it from a backup");
            }
            return id;
        }
        String id = DataDir.newId();
        Path tmp = root.resolve("instance.new");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, Private.file());
        Files.writeString(tmp, id + "\n");
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return id;
    }

    /** {@code host:path} of this service's data directory, for the lease and the messages about it. */
    static String holder(Path data) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return AnalysisIndex.clip(host + ":" + data, 1000);
    }

    /** Takes the lease, or throws with a one-line message naming the service that holds it. */
    void acquire() throws SQLException {
        long now = clock.millis();
        try (Connection con = db.connection()) {
            take(con, now);
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new SQLException("another tcpautopsy serve is taking this data directory's lease at this very "
                        + "moment: a data directory is served by one service at a time", e);
            }
            throw e;
        }
    }

    private void take(Connection con, long now) throws SQLException {
        Database.inTransaction(con, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT holder, seen FROM services WHERE instance = ? "
                    + "FOR UPDATE")) {
                ps.setString(1, instance);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        write(c, "INSERT INTO services (session, holder, seen, instance) VALUES (?, ?, ?, ?)", now);
                        return;
                    }
                    String other = rs.getString(1);
                    long ago = now - rs.getLong(2);
                    if (!other.equals(holder) && ago < TTL.toMillis()) {
                        throw new SQLException("the analyses of this data directory are served by another "
                                + "tcpautopsy serve (" + other + ", seen " + Math.max(0, ago / 1000) + " s ago): a "
                                + "data directory is served by one service at a time; if that one is gone, start "
                                + "again after " + TTL.toSeconds() + " s");
                    }
                }
            }
            write(c, "UPDATE services SET session = ?, holder = ?, seen = ? WHERE instance = ?", now);
        });
    }

    /** Renews the lease; false when another service has taken it meanwhile (this one was stalled past the TTL). */
    boolean renew() throws SQLException {
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement(
                "UPDATE services SET seen = ? WHERE instance = ? AND session = ?")) {
            ps.setLong(1, clock.millis());
            ps.setString(2, instance);
            ps.setString(3, session);
            return ps.executeUpdate() == 1;
        }
    }

    /** Gives the lease up (an orderly stop): another service may take the directory at once. */
    void release() throws SQLException {
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement(
                "DELETE FROM services WHERE instance = ? AND session = ?")) {
            ps.setString(1, instance);
            ps.setString(2, session);
            ps.executeUpdate();
        }
    }

    private void write(Connection c, String sql, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, session);
            ps.setString(2, holder);
            ps.setLong(3, now);
            ps.setString(4, instance);
            ps.executeUpdate();
        }
    }
}
