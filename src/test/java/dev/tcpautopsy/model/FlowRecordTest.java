package dev.tcpautopsy.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A flow encoded and read back as a record: every value as the model flow has it, without its objects. */
class FlowRecordTest {

    private static FlowRecord read(Flow f, boolean reused, String clause) {
        FlowEncoder e = new FlowEncoder().encode(f);
        // somewhere in a larger array, as a page holds it
        byte[] page = new byte[e.length() + 10];
        System.arraycopy(e.bytes(), 0, page, 7, e.length());
        return new FlowRecord().load(page, 7, reused, clause);
    }

    @Test
    void aRecordGivesBackTheFlowItWasEncodedFrom() {
        for (Flow f : RandomFlows.random(300, 1)) {
            assertEquals(f, read(f, false, null).flow());
        }
    }

    @Test
    void itsValuesAreTheFlowsWithoutObjects() {
        FlowRecord r = new FlowRecord();
        FlowEncoder e = new FlowEncoder();
        for (Flow f : RandomFlows.random(300, 2)) {
            e.encode(f);
            r.load(Arrays.copyOf(e.bytes(), e.length()), 0, false, null);
            assertEquals(f.stream(), r.stream());
            assertEquals(f.stream(), FlowEncoder.stream(e.bytes(), 0));
            assertEquals(f.firstFrame(), FlowEncoder.firstFrame(e.bytes(), 0));
            assertEquals(f.client().ip(), r.clientIp().toString());
            assertEquals(f.server().port(), r.serverPort());
            assertEquals(f.end() != null, r.hasEnd());
            if (f.end() != null) {
                assertEquals(f.end().getEpochSecond(), r.endSecond());
                assertEquals(f.end().getNano(), r.endNano());
            }
            Termination t = f.termination();
            assertEquals(t.reason(), r.reason().toString());
            assertEquals(t.reason() == null, r.reason().isNull());
            assertEquals(t.evidence().size(), r.evidenceCount());
            for (int i = 0; i < r.evidenceCount(); i++) {
                assertEquals(t.evidence().get(i).note(), r.evidenceNote(i).toString());
                assertEquals(t.evidence().get(i).headerDump(), r.headerDump(i));
            }
            List<Tag> tags = new ArrayList<>();
            for (int i = 0; i < r.tagCount(); i++) {
                tags.add(r.tag(i));
            }
            assertEquals(t.tags(), tags);
            assertEquals(f.fromServer() != null, r.fromServer().present());
            if (f.fromClient().analysis() != null) {
                assertEquals(f.fromClient().analysis().retransmissions(), r.fromClient().count(0));
                assertEquals(f.fromClient().analysis().windowUpdates(), r.fromClient().count(12));
            }
            assertEquals(f.app() != null, r.app().present());
            if (f.app() != null) {
                assertEquals(f.app().unanswered() != null, r.app().unansweredKnown());
                assertEquals(Boolean.TRUE.equals(f.app().unanswered()), r.app().unanswered());
            }
            assertEquals(f.lastPackets().size(), r.lastPacketCount());
            assertEquals(f.history(), r.history().toString());
            byte[] text = f.history().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(text.length, r.history().length());
            for (int i = 0; i < text.length; i++) {
                assertEquals(text[i], r.history().byteAt(i));
            }
        }
    }

    @Test
    void whatWasLearnedLaterIsAddedOnce() {
        Flow f = RandomFlows.random(1, 3).get(0);
        Termination t = f.termination();
        Flow plain = f.withTermination(new Termination(t.cls(), t.by(), "the reason", t.filter(), t.evidence(),
                List.of(Tag.MIDSTREAM), t.appView()));
        FlowRecord r = read(plain, true, "one of 3 connections");
        assertEquals(List.of(Tag.MIDSTREAM, Tag.PORT_REUSE, Tag.HOST_BURST), r.flow().termination().tags());
        assertEquals("the reason; one of 3 connections", r.flow().termination().reason());
        assertEquals("; one of 3 connections", r.reasonClause());

        Flow tagged = f.withTermination(new Termination(t.cls(), t.by(), "the reason", t.filter(), t.evidence(),
                List.of(Tag.HOST_BURST, Tag.PORT_REUSE), t.appView()));
        r = read(tagged, true, "one of 3 connections");
        assertEquals(List.of(Tag.HOST_BURST, Tag.PORT_REUSE), r.flow().termination().tags());
        assertEquals("the reason", r.flow().termination().reason());
        assertNull(r.reasonClause());

        r = read(plain, false, null);
        assertEquals(List.of(Tag.MIDSTREAM), r.flow().termination().tags());
        assertFalse(r.hasStart() && r.startSecond() == 0 && r.startNano() == 0);
    }

    @Test
    void recurringStringsAreCodedAndNonAsciiKeepsItsBytes() {
        Flow f = RandomFlows.random(1, 4).get(0);
        Termination t = f.termination();
        Flow g = f.withTermination(new Termination(t.cls(), t.by(), "日本 reason ✓", t.filter(), t.evidence(), t.tags(),
                new AppView("ECONNRESET", "none")));
        FlowRecord r = read(g, false, null);
        assertTrue(r.sawClient().ascii());
        assertEquals("ECONNRESET", r.sawClient().toString());
        assertFalse(r.reason().ascii());
        assertEquals("日本 reason ✓", r.reason().toString());
        assertEquals("日本 reason ✓".getBytes(java.nio.charset.StandardCharsets.UTF_8).length, r.reason().length());
    }

    /** What a string's bits say of it is what its text holds: JSON and CSV writers skip their scan on it. */
    @Test
    void theTextBitsSayWhatTheFormatsWouldLookFor() {
        Flow f = RandomFlows.random(1, 5).get(0);
        Termination t = f.termination();
        java.util.Random rnd = new java.util.Random(6);
        String alphabet = "ab ,\"\\\n\r\t\u0001é日\uD83D\uDE00x.;=??ÿ\uD800\u0100";
        FlowEncoder e = new FlowEncoder();
        for (int i = 0; i < 3000; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = rnd.nextInt(40); k > 0; k--) {
                b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            String s = i == 0 ? "EOF" : b.toString();
            e.encode(f.withTermination(new Termination(t.cls(), t.by(), s, t.filter(), t.evidence(), t.tags(), t.appView())));
            Utf8Text text = new FlowRecord().load(Arrays.copyOf(e.bytes(), e.length()), 0, false, null).reason();
            String back = text.toString();
            // what the JDK's UTF-8 encoder makes of it: an unpaired surrogate becomes '?'
            assertEquals(new String(s.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    java.nio.charset.StandardCharsets.UTF_8), back, s);
            assertEquals(back.chars().allMatch(c -> c < 0x80), text.ascii(), s);
            assertEquals(back.chars().noneMatch(c -> c < 0x20 || c == '"' || c == '\\'), text.jsonPlain(), s);
            assertEquals(back.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r'), text.csvPlain(), s);
        }
    }
}
