package dev.tcpautopsy.capture;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The byte-order reads agree with the JDK's buffers at every offset, high bits set or not. */
class BytesTest {

    @Test
    void readsAgreeWithByteBuffer() {
        byte[] b = new byte[4096];
        new Random(7).nextBytes(b);
        // all-ones and sign bits at known places, where a missing mask would show
        for (int i = 0; i < 16; i++) {
            b[i] = (byte) 0xFF;
            b[16 + i] = (byte) (i % 2 == 0 ? 0x80 : 0x7F);
        }
        ByteBuffer be = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off + 8 <= b.length; off++) {
            assertEquals(Short.toUnsignedInt(be.getShort(off)), Bytes.u16be(b, off), "u16be at " + off);
            assertEquals(Short.toUnsignedInt(le.getShort(off)), Bytes.u16le(b, off), "u16le at " + off);
            assertEquals(be.getInt(off), Bytes.i32be(b, off), "i32be at " + off);
            assertEquals(le.getInt(off), Bytes.i32le(b, off), "i32le at " + off);
            assertEquals(Integer.toUnsignedLong(be.getInt(off)), Bytes.u32be(b, off), "u32be at " + off);
            assertEquals(Integer.toUnsignedLong(le.getInt(off)), Bytes.u32le(b, off), "u32le at " + off);
            assertEquals(be.getLong(off), Bytes.i64be(b, off), "i64be at " + off);
            assertEquals(le.getLong(off), Bytes.i64le(b, off), "i64le at " + off);
        }
    }
}
