package dev.tcpautopsy.findings;

import dev.tcpautopsy.model.Endpoint;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The findings' table keys whose equality and hash are written out hash as the records' own would (the
 * tables iterate in hash order, so findings come out in the same order) and are equal exactly when those are.
 */
class WrittenOutEqualityTest {
    private record PlainFingerprint(int ttl, boolean ipIdZero) {
    }

    private record PlainKey(Endpoint endpoint, String side, Endpoint peer) {
    }

    @Test
    void aFingerprintHashesAndComparesAsTheRecordWould() {
        for (int ttl = -1; ttl < 256; ttl += 7) {
            for (boolean zero : new boolean[] {true, false}) {
                Devices.Fingerprint f = new Devices.Fingerprint(ttl, zero);
                assertEquals(new PlainFingerprint(ttl, zero).hashCode(), f.hashCode(), ttl + " " + zero);
                assertEquals(new Devices.Fingerprint(ttl, zero), f);
                assertNotEquals(new Devices.Fingerprint(ttl, !zero), f);
                assertNotEquals(new Devices.Fingerprint(ttl + 1, zero), f);
            }
        }
    }

    @Test
    void aTimerKeyHashesAndComparesAsTheRecordWould() {
        Endpoint a = new Endpoint("198.18.0.1", 40000), b = new Endpoint("2001:db8::2", 443);
        for (String side : new String[] {"client", "server", "middlebox", null}) {
            for (Endpoint peer : new Endpoint[] {b, null}) {
                Timers.Key k = new Timers.Key(a, side, peer);
                assertEquals(new PlainKey(a, side, peer).hashCode(), k.hashCode(), side + " " + peer);
                assertEquals(new Timers.Key(new Endpoint("198.18.0.1", 40000), side, peer), k);
                assertNotEquals(new Timers.Key(b, side, peer), k);
                assertNotEquals(new Timers.Key(a, side, a), k);
            }
        }
        assertNotEquals(new Timers.Key(a, "client", b), new Timers.Key(a, "server", b));
    }
}
