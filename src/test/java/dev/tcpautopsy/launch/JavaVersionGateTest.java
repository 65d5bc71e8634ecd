package dev.tcpautopsy.launch;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JavaVersionGateTest {
    @Test
    void readsBothSpellingsOfTheVersion() {
        assertEquals(8, JavaVersionGate.major("1.8"));
        assertEquals(11, JavaVersionGate.major("11"));
        assertEquals(17, JavaVersionGate.major("17"));
        assertEquals(25, JavaVersionGate.major("25-ea"));
        assertEquals(0, JavaVersionGate.major(""));
    }

    @Test
    void refusesOlderJavaInOneLineThatSaysWhatToDo() {
        String r = JavaVersionGate.refusal("11", "/usr/lib/jvm/java-11", "11.0.22");
        assertTrue(r.startsWith("tcpautopsy: needs Java 17 or newer, but /usr/lib/jvm/java-11 is Java 11.0.22;"), r);
        assertTrue(r.contains("JAVA_HOME"), r);
        assertEquals(1, r.lines().count());
        assertTrue(JavaVersionGate.refusal("1.8", "/j8", "1.8.0_382").contains("is Java 1.8.0_382"));
        assertNull(JavaVersionGate.refusal("17", "/j17", "17.0.15"));
        assertNull(JavaVersionGate.refusal("25", "/j25", "25"));
    }

    /** The class must load on Java 8: its class file version is 52, whatever the rest of the build targets. */
    @Test
    void isCompiledForJava8() throws Exception {
        try (java.io.DataInputStream in = new java.io.DataInputStream(
                JavaVersionGate.class.getResourceAsStream("JavaVersionGate.class"))) {
            assertEquals(0xCAFEBABE, in.readInt());
            in.readUnsignedShort();
            assertEquals(52, in.readUnsignedShort());
        }
    }
}
