package dev.tcpautopsy.serve;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The login sessions: a random id per login (256 bits), valid for {@link #TTL}, kept in memory
 * (a restart logs everyone out). Nothing in a cookie is derived from the token, so a cookie that
 * leaks is worth twelve hours at most and never reveals the token.
 */
final class Sessions {
    static final Duration TTL = Duration.ofHours(12);
    /** Logins kept at most; past it the one that expires first goes. */
    static final int MAX = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Long> expiry = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    Sessions(LongSupplier clock) {
        this.clock = clock;
    }

    /** A new session's id. */
    String open() {
        long now = clock.getAsLong();
        if (expiry.size() >= MAX) {
            expiry.values().removeIf(t -> t <= now);
            while (expiry.size() >= MAX) {
                expiry.entrySet().stream().min(Map.Entry.comparingByValue())
                        .ifPresent(e -> expiry.remove(e.getKey(), e.getValue()));
            }
        }
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String id = HexFormat.of().formatHex(b);
        expiry.put(id, now + TTL.toMillis());
        return id;
    }

    /** Whether {@code id} is a session that has not expired. */
    boolean valid(String id) {
        if (id == null) {
            return false;
        }
        Long until = expiry.get(id);
        if (until == null) {
            return false;
        }
        if (until <= clock.getAsLong()) {
            expiry.remove(id, until);
            return false;
        }
        return true;
    }
}
