package dev.tcpautopsy.report.html;

import dev.tcpautopsy.model.Flow;
import dev.tcpautopsy.model.PacketLine;
import dev.tcpautopsy.model.Units;
import dev.tcpautopsy.report.Texts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Geometry of the SVG ladder (sequence) diagram of a connection's last packets. */
final class Ladder {
    static final int WIDTH = 720;
    static final int LEFT = 170;
    static final int RIGHT = 600;
    static final int TOP = 44;
    static final int ROW = 40;

    /** One packet: an arrow between the lifelines, with its labels. */
    record Arrow(String x1, String y1, String x2, String y2, String kind, String label, String note,
                 String labelX, String labelY, String time, String frame, String rowY) {

        public boolean hasNote() {
            return !note.isBlank();
        }
    }

    /** The diagram. */
    record View(int width, int height, String clientLabel, String serverLabel, int left, int right,
                String lifelineEnd, List<Arrow> arrows) {

        /** Where the frame numbers end, at the right edge. */
        public int frameX() {
            return width - 6;
        }
    }

    private Ladder() {
    }

    static View of(Flow f) {
        List<Arrow> arrows = new ArrayList<>();
        int i = 0;
        for (PacketLine p : f.lastPackets()) {
            int y = TOP + i * ROW;
            int x1 = p.fromClient() ? LEFT : RIGHT;
            int x2 = p.fromClient() ? RIGHT : LEFT;
            // concatenation and Texts.fixed spell what the formatter would, without it: a report has
            // hundreds of ladders
            String label = flagsText(p.flags()) + "  seq=" + PacketLine.unsigned(p.seq()) + " ack=" + PacketLine.unsigned(p.ack()) + " len=" + p.len()
                    + " win=" + p.window();
            String note = p.analysis().isEmpty() ? "" : "[" + String.join(", ", p.analysis()) + "]";
            String time = "+" + Units.fixed(Texts.seconds(f.start(), p.time()), 6) + " s";
            arrows.add(new Arrow(Integer.toString(x1), Integer.toString(y + 14), Integer.toString(x2),
                    Integer.toString(y + 30), kind(p), label, note, Integer.toString((LEFT + RIGHT) / 2),
                    Integer.toString(y + 11), time, "#" + p.frame(), Integer.toString(y + 25)));
            i++;
        }
        int height = TOP + i * ROW + 10;
        return new View(WIDTH, height, "client " + f.client(), "server " + f.server(), LEFT, RIGHT,
                Integer.toString(height - 4), arrows);
    }

    /** The CSS class of an arrow: rst, fin, syn, data or ack, plus flagged when Wireshark would flag it. */
    static String kind(PacketLine p) {
        String flags = flagsText(p.flags());
        String k;
        if (flags.contains("RST")) {
            k = "rst";
        } else if (flags.contains("FIN")) {
            k = "fin";
        } else if (flags.contains("SYN")) {
            k = "syn";
        } else if (p.len() > 0) {
            k = "data";
        } else {
            k = "ack";
        }
        return p.analysis().isEmpty() ? k : k + " flagged";
    }

    /**
     * Flags spelled out ({@code SYN,ACK}) whether the model gave letters ({@code SA}, as in
     * tcpdump's {@code [S.]} or Zeek's history) or names.
     */
    static String flagsText(String flags) {
        if (flags == null || flags.isEmpty()) {
            return "-";
        }
        String f = flags.trim().toUpperCase(Locale.ROOT);
        if (f.length() > 8 || f.contains(",") || f.contains(" ")) {
            return f.replaceAll("[\\[\\]]", "").replaceAll("\\s*,\\s*|\\s+", ",");
        }
        StringBuilder sb = new StringBuilder();
        for (char c : f.toCharArray()) {
            String name = switch (c) {
                case 'S' -> "SYN";
                case 'A', '.' -> "ACK";
                case 'F' -> "FIN";
                case 'R' -> "RST";
                case 'P' -> "PSH";
                case 'U' -> "URG";
                case 'E' -> "ECE";
                case 'C', 'W' -> "CWR";
                default -> null;
            };
            if (name != null && sb.indexOf(name) < 0) {
                sb.append(sb.length() == 0 ? "" : ",").append(name);
            }
        }
        return sb.length() == 0 ? f : sb.toString();
    }
}
