package dev.tcpautopsy.flow;

import dev.tcpautopsy.flow.FlowFacts.TailPacket;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The hand-written equals and hashCode of {@link TailPacket} keep the record's meaning: every component counts. */
class TailPacketTest {
    private static final Object[] BASE = {7L, 1_000L, true, 0x18, 100L, 200L, 10, 65_535L, 64, 4_242, 3};

    @Test
    void equalComponentsMakeEqualPacketsWithEqualHashes() throws Exception {
        TailPacket a = make(BASE.clone()), b = make(BASE.clone());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, null);
        assertNotEquals(a, "7");
    }

    @Test
    void aChangeInAnyOneComponentMakesThemDiffer() throws Exception {
        TailPacket base = make(BASE.clone());
        RecordComponent[] rc = TailPacket.class.getRecordComponents();
        assertEquals(BASE.length, rc.length, "a component was added: extend BASE and equals()");
        for (int i = 0; i < rc.length; i++) {
            Object[] v = BASE.clone();
            v[i] = changed(v[i]);
            assertNotEquals(base, make(v), rc[i].getName() + " is ignored by equals()");
        }
    }

    private static Object changed(Object o) {
        if (o instanceof Long l) {
            return l + 1;
        }
        if (o instanceof Integer n) {
            return n + 1;
        }
        return !(Boolean) o;
    }

    private static TailPacket make(Object[] v) throws Exception {
        RecordComponent[] rc = TailPacket.class.getRecordComponents();
        Class<?>[] types = new Class<?>[rc.length];
        for (int i = 0; i < rc.length; i++) {
            types[i] = rc[i].getType();
        }
        Constructor<TailPacket> c = TailPacket.class.getDeclaredConstructor(types);
        return c.newInstance(v);
    }
}
