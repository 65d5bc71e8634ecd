package dev.tcpautopsy.flow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Developer tool: compares flow tracking with tshark on the captures named on the command line. */
public final class TsharkScan {
    public static void main(String[] args) throws Exception {
        int files = 0, badStreams = 0, badFlags = 0;
        long frames = 0, streamDiff = 0, flagDiff = 0;
        int[] perFlag = new int[AnalysisFlags.COUNT];
        for (String a : args) {
            Path p = Path.of(a);
            if (!Files.isRegularFile(p)) {
                continue;
            }
            List<TsharkFrames.Frame> fr = TsharkFrames.read(p);
            if (fr.isEmpty()) {
                continue;
            }
            if (fr.stream().anyMatch(TsharkFrames.Frame::nestedTcp)) {
                System.out.println("NESTED " + a);
                continue;
            }
            TsharkAgreement r = TsharkAgreement.check(fr, FlowSettings.DEFAULT);
            files++;
            frames += r.frames;
            streamDiff += r.streamMismatches.size();
            flagDiff += r.flagMismatches.size();
            for (int i = 0; i < perFlag.length; i++) {
                perFlag[i] += r.flagDiffs[i];
            }
            if (!r.streamMismatches.isEmpty()) {
                badStreams++;
                System.out.println("STREAM " + a + " " + r.streamMismatches.size() + " e.g. " + r.streamMismatches.get(0));
            }
            if (!r.flagMismatches.isEmpty()) {
                badFlags++;
                System.out.println("FLAGS " + a + " " + r.flagMismatches.size() + " e.g. "
                        + r.flagMismatches.subList(0, Math.min(3, r.flagMismatches.size())));
            }
        }
        System.out.println("files " + files + " frames " + frames + " stream-mismatch frames " + streamDiff + " in "
                + badStreams + " files; flag-mismatch frames " + flagDiff + " in " + badFlags + " files");
        for (int i = 0; i < perFlag.length; i++) {
            if (perFlag[i] > 0) {
                System.out.println("  " + AnalysisFlags.name(i) + ": " + perFlag[i]);
            }
        }
    }
}
