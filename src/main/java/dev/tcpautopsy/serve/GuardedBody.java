package dev.tcpautopsy.serve;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** An upload's body held to the intake's limits as it is read (see {@link Intake#guard}). */
final class GuardedBody extends FilterInputStream {
    private final Intake intake;
    private long total;
    private long nextCheck = Intake.SPACE_CHECK_EVERY;

    GuardedBody(InputStream body, Intake intake) {
        super(body);
        this.intake = intake;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            total += n;
            long free = -1;
            if (total >= nextCheck) {
                nextCheck = total + Intake.SPACE_CHECK_EVERY;
                free = intake.usableSpace();
            }
            intake.check(total, free);
        }
        return n;
    }
}
