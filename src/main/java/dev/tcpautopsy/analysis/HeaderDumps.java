package dev.tcpautopsy.analysis;

import dev.tcpautopsy.flow.PacketHeaders;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Termination;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.factory.PacketFactories;
import org.pcap4j.packet.factory.PacketFactory;
import org.pcap4j.packet.namednumber.DataLinkType;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decoded header dumps for evidence frames: pcap4j's multi-line rendering of the header bytes flow
 * tracking kept (cut at a fixed length, so payloads are absent), or a hex dump when pcap4j cannot
 * make sense of them. Slow, so built only for the abnormal flows a report details, up to a cap.
 */
final class HeaderDumps {
    private static final int MAX_LINES = 80;
    /** Compiled once: {@code String.split} compiles a pattern that is not a single character on every call. */
    private static final Pattern LINE_BREAK = Pattern.compile("\\R");

    /**
     * pcap4j's factory, made on first use: its registry takes some 40 ms to build, which a capture
     * with nothing abnormal never needs and which {@link #warmUp} moves off the main thread.
     */
    private static final class Factory {
        static final PacketFactory<Packet, DataLinkType> PACKETS = PacketFactories.getFactory(Packet.class,
                DataLinkType.class);
    }

    /**
     * Builds pcap4j's registry and decodes one Ethernet/IPv4/TCP header, so that the classes a dump
     * needs are loaded and initialized by whoever calls this (a thread started while the command
     * line is parsed) rather than by the first abnormal flow.
     */
    static void warmUp() {
        byte[] frame = new byte[54];
        frame[12] = 0x08; // IPv4
        frame[14] = 0x45;
        frame[17] = 40;
        frame[22] = 64;
        frame[23] = 6; // TCP
        frame[46] = 0x50; // data offset 5 words
        frame[47] = 0x12; // SYN, ACK
        new HeaderDumps().dump(1, frame);
    }

    /** {@code t} with the header dump of each evidence frame whose headers were kept. */
    Termination withDumps(Termination t, PacketHeaders headers) {
        List<Evidence> out = new ArrayList<>(t.evidence().size());
        boolean any = false;
        for (Evidence e : t.evidence()) {
            byte[] bytes = headers.headerBytes(e.frame());
            if (bytes == null || !e.headerDump().isEmpty()) {
                out.add(e);
                continue;
            }
            out.add(new Evidence(e.frame(), e.note(), dump(headers.linkType(e.frame()), bytes)));
            any = true;
        }
        return any ? new Termination(t.cls(), t.by(), t.reason(), t.filter(), out, t.tags(), t.appView()) : t;
    }

    List<String> dump(int linkType, byte[] bytes) {
        try {
            Packet p = Factory.PACKETS.newInstance(bytes, 0, bytes.length, DataLinkType.getInstance(linkType));
            List<String> lines = new ArrayList<>();
            for (String line : LINE_BREAK.split(p.toString())) {
                if (!line.isBlank() && lines.size() < MAX_LINES) {
                    lines.add(line.stripTrailing());
                }
            }
            return lines;
        } catch (RuntimeException e) {
            // pcap4j on cut or odd bytes: show them raw instead
            return hex(bytes);
        }
    }

    static List<String> hex(byte[] bytes) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += 16) {
            StringBuilder sb = new StringBuilder(String.format("%04x ", i));
            for (int j = i; j < Math.min(bytes.length, i + 16); j++) {
                sb.append(String.format(" %02x", bytes[j] & 0xFF));
            }
            lines.add(sb.toString());
        }
        return lines;
    }
}
