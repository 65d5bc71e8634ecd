package dev.tcpautopsy.cli;

import dev.tcpautopsy.analysis.ProgressListener;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.Texts;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The progress line on standard error: bytes done of total, packets per second and time left,
 * redrawn in place with a carriage return at most a few times a second. Called from reading
 * threads, so drawing is synchronized and cheap to skip.
 */
final class ProgressLine implements ProgressListener {
    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintWriter err;
    private final LongSupplier clock;
    private final long startNanos;
    private long lastDraw;
    private int lastWidth;

    ProgressLine(PrintWriter err, LongSupplier nanoClock) {
        this.err = err;
        this.clock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.lastDraw = startNanos;
    }

    @Override
    public synchronized void progress(long bytesDone, long bytesTotal, long packets) {
        long now = clock.getAsLong();
        if (now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        draw(line(bytesDone, bytesTotal, packets, (now - startNanos) / 1e9));
    }

    /** Erases the line, so that what follows starts on a clean line. */
    synchronized void finish() {
        if (lastWidth > 0) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            err.flush();
            lastWidth = 0;
        }
    }

    static String line(long bytesDone, long bytesTotal, long packets, double elapsed) {
        StringBuilder sb = new StringBuilder("reading ");
        sb.append(Units.bytes(bytesDone));
        if (bytesTotal > 0) {
            sb.append(" of ").append(Units.bytes(bytesTotal))
                    .append(String.format(Locale.ROOT, " (%d%%)", Math.min(100, bytesDone * 100 / bytesTotal)));
        }
        if (elapsed > 0) {
            sb.append(", ").append(rate(packets / elapsed)).append(" packets/s");
            if (bytesTotal > 0 && bytesDone > 0 && bytesDone < bytesTotal) {
                double left = (bytesTotal - bytesDone) / (bytesDone / elapsed);
                sb.append(", ").append(clock(left)).append(" left");
            }
        }
        return sb.toString();
    }

    private void draw(String line) {
        int pad = Math.max(0, lastWidth - line.length());
        err.print("\r" + line + " ".repeat(pad));
        err.flush();
        lastWidth = line.length();
    }

    private static String rate(double perSecond) {
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.1f M", perSecond / 1e6);
        }
        if (perSecond >= 1e3) {
            return String.format(Locale.ROOT, "%.0f k", perSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", perSecond);
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
