package dev.tcpautopsy.app;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedisDecoderTest {
    @Test
    void pipelinedCommandsAndRepliesAreToldApart() {
        Talk t = new Talk().client("*1\r\n$4\r\nping\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$12\r\n*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")
                .server("+PONG\r\n+OK\r\n$12\r\n*1\r\n$4\r\nPING\r\n");
        assertEquals(List.of("1 c PING", "1 c SET", "1 c GET", "2 s +PONG", "2 s +OK", "2 s bulk string (12 bytes)"), t.said);
        assertEquals(false, t.facts().unanswered());
    }

    @Test
    void aCommandsArgumentsAreNeverShown() {
        AppFacts f = new Talk().client("*3\r\n$4\r\nAUTH\r\n$5\r\nalice\r\n$6\r\nhunter\r\n")
                .server("-WRONGPASS invalid username-password pair or user is disabled.\r\n").fin(false).facts();
        assertEquals("AUTH", f.lastRequest().text());
        assertEquals("-WRONGPASS invalid username-password pair or user is disabled.", f.goodbye().text());
        assertTrue(f.rejected());
    }

    @Test
    void nestedRepliesAndPushesSplitAnywhere() {
        String reply = "*2\r\n*2\r\n:1\r\n$3\r\nabc\r\n%1\r\n+k\r\n_\r\n>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n";
        int push = reply.indexOf(">3");
        for (int size = 1; size < 9; size++) {
            Talk t = new Talk().client("*1\r\n$4\r\nSCAN\r\n").split(false, reply, size);
            assertEquals(List.of("1 c SCAN", "2 s array (2 elements)", (2 + push / size) + " s push (3 elements)"), t.said,
                    "segments of " + size);
            assertEquals(false, t.facts().unanswered(), "a push answers nothing, the array did");
        }
    }

    @Test
    void inlineCommandsAndAServerSeenFirst() {
        assertEquals(List.of("1 c PING", "2 s +PONG"), new Talk().client("PING\r\n").server("+PONG\r\n").said);
        AppFacts f = new Talk().server("+OK\r\n").client("*1\r\n$4\r\nINFO\r\n").facts();
        assertEquals("redis", f.protocol());
        assertEquals("INFO", f.lastRequest().text());
    }

    @Test
    void theAnswerToQuitIsTheServersGoodbyeAndNoRefusal() {
        AppFacts f = new Talk().client("*1\r\n$4\r\nINCR\r\n").server(":1\r\n").client("*1\r\n$4\r\nquit\r\n")
                .server("+OK\r\n").fin(false).fin(true).facts();
        assertEquals(new AppMessage(4, "server", "+OK"), f.goodbye());
        assertEquals(f.goodbye(), f.lastResponse());
        assertFalse(f.rejected());
        AppFacts pipelined = new Talk().client("*1\r\n$4\r\nQUIT\r\n*1\r\n$4\r\nPING\r\n").server("+OK\r\n")
                .fin(false).facts();
        assertNull(pipelined.goodbye(), "the +OK answered QUIT while PING was still owed: it was not the last command");
    }

    @Test
    void anInlineCommandOfAnyNameIsReadOnceTheServersErrorNamesRedis() {
        Talk t = new Talk().client("SET greeting \"hello\r\n").server("-ERR Protocol error: unbalanced quotes in request\r\n")
                .fin(false);
        AppFacts f = t.facts();
        assertEquals("redis", f.protocol());
        assertEquals(new AppMessage(1, "client", "SET"), f.lastRequest(), "its name only");
        assertEquals(new AppMessage(2, "server", "-ERR Protocol error: unbalanced quotes in request"), f.goodbye());
        assertEquals(f.goodbye(), f.lastResponse());
        assertEquals(false, f.unanswered());
        assertTrue(f.rejected());
        assertEquals("pop3", new Talk().server("+OK ready\r\n").client("USER x\r\n").server("-ERR no\r\n").facts().protocol());
        assertNull(new Talk().server("-ERR no\r\n").facts().protocol(), "a server that speaks first is no Redis");
    }

    @Test
    void whatOnlyLooksLikeRespIsNot() {
        assertNull(new Talk().client("*hello\r\n").facts().protocol());
        assertNull(new Talk().client("QUIT\r\n").facts().protocol(), "SMTP, POP3, FTP and IRC have QUIT too");
        assertNull(new Talk().client("PING :irc.example\r\n").facts().protocol(), "IRC's PING has an argument");
        assertEquals("pop3", new Talk().server("+OK POP3 server ready\r\n").facts().protocol());
        Talk deep = new Talk().client("*1\r\n$4\r\nPING\r\n").server("*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n+OK\r\n");
        assertFalse(deep.said.contains("2 s +OK"), "seven levels deep: the reply's end cannot be known, nothing is guessed");
    }
}
