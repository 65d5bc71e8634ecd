package dev.tcpautopsy.flow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Developer tool: our stream and TCP frame counts against the corpus inventory (tshark's). */
public final class InventoryScan {
    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args[0]);
        List<String> lines = Files.readAllLines(corpus.resolve("inventory.tsv"));
        int files = 0, same = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split("\t", -1);
            if (v[6].isEmpty() || !v[6].matches("\\d+")) {
                continue;
            }
            long streams = Long.parseLong(v[6]), frames = Long.parseLong(v[5]);
            StreamCount c = StreamCount.of(corpus.resolve(v[0]));
            files++;
            if (c.streams == streams) {
                same++;
            } else {
                System.out.println(v[0] + "\tours " + c.streams + "/" + c.tcpFrames + "\ttshark " + streams + "/" + frames
                        + (c.error == null ? "" : "\t" + c.error));
            }
        }
        System.out.println("files " + files + ", same stream count " + same);
    }
}
