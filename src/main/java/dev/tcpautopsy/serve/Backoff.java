package dev.tcpautopsy.serve;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Wrong access tokens per client address: the first {@link #FREE} cost nothing (a typo), then each
 * one shuts the client out for twice as long as the one before, from 1 s up to 5 minutes. A
 * client forgets its failures after 15 minutes without one, or at its first right token.
 */
final class Backoff {
    static final int FREE = 5;
    private static final long FIRST_MS = 1_000;
    private static final long MAX_MS = 300_000;
    private static final long FORGET_MS = 900_000;
    /** Addresses kept at most (a spread-out guesser must not grow this without bound). */
    private static final int MAX_CLIENTS = 10_000;

    private record Entry(int failures, long last, long until) {
    }

    private final Map<String, Entry> clients = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    Backoff(LongSupplier clock) {
        this.clock = clock;
    }

    /** Seconds {@code client} must still wait before its token is looked at; 0 when it may try. */
    long waitSeconds(String client) {
        Entry e = clients.get(client);
        long left = e == null ? 0 : e.until() - clock.getAsLong();
        return left <= 0 ? 0 : (left + 999) / 1000;
    }

    void failed(String client) {
        long now = clock.getAsLong();
        if (clients.size() >= MAX_CLIENTS && !clients.containsKey(client)) {
            clients.values().removeIf(e -> now - e.last() > FORGET_MS && e.until() <= now);
            if (clients.size() >= MAX_CLIENTS) {
                clients.clear();  // far more addresses than people: none is worth more than another
            }
        }
        clients.compute(client, (k, e) -> {
            int n = e == null || now - e.last() > FORGET_MS ? 1 : e.failures() + 1;
            long until = n <= FREE ? 0 : now + Math.min(MAX_MS, FIRST_MS << Math.min(n - FREE - 1, 20));
            return new Entry(n, now, until);
        });
    }

    void succeeded(String client) {
        clients.remove(client);
    }
}
