package dev.tcpautopsy.app;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SMTP, FTP, IMAP and POP3: commands by their verb, replies by their line, bodies and literals never read as either. */
class LineProtocolsTest {
    @Test
    void smtpMailBodyAndChallengeAnswersAreNoCommands() {
        Talk t = new Talk().server("220 mx.example ESMTP\r\n").client("EHLO client.example\r\n")
                .server("250-mx.example\r\n250-PIPELINING\r\n", "250 AUTH LOGIN\r\n")
                .client("AUTH LOGIN\r\n").server("334 VXNlcm5hbWU6\r\n").client("Ym9i\r\n").server("235 ok\r\n")
                .client("MAIL FROM:<bob@example.com>\r\nRCPT TO:<alice@example.com>\r\nDATA\r\n")
                .server("250 ok\r\n250 ok\r\n354 go ahead\r\n")
                .client("Subject: hi\r\n\r\nQUIT\r\n..leading dot\r\n", "RSET\r\n.\r\n").server("250 queued\r\n")
                .client("QUIT\r\n").server("221 bye\r\n").fin(false);
        assertEquals(List.of("1 s 220 mx.example ESMTP", "2 c EHLO", "3 s 250 mx.example", "5 c AUTH", "6 s 334 VXNlcm5hbWU6",
                "8 s 235 ok", "9 c MAIL", "9 c RCPT", "9 c DATA", "10 s 250 ok", "10 s 250 ok", "10 s 354 go ahead",
                "13 s 250 queued", "14 c QUIT", "15 s 221 bye"), t.said);
        AppFacts f = t.facts();
        assertEquals("smtp", f.protocol());
        assertEquals(new AppMessage(15, "server", "221 bye"), f.goodbye(), "the answer to QUIT, then the close");
        assertFalse(f.rejected(), "an orderly goodbye, no refusal");
        assertEquals(false, f.unanswered());
    }

    @Test
    void smtp421IsAGoodbyeThatRefused() {
        AppFacts f = new Talk().server("220 mx ESMTP\r\n").client("EHLO x\r\n").server("250 mx\r\n").client("MAIL FROM:<a@b>\r\n")
                .server("421 4.4.2 mx closing connection: idle timeout\r\n").fin(false).facts();
        assertEquals(new AppMessage(5, "server", "421 4.4.2 mx closing connection: idle timeout"), f.goodbye());
        assertTrue(f.rejected());
    }

    @Test
    void ftpIsToldFromSmtpByItsBannerOrItsCommands() {
        assertEquals("ftp", new Talk().server("220 ProFTPD Server ready.\r\n").facts().protocol());
        Talk t = new Talk().server("220 Welcome\r\n").client("USER anonymous\r\n").server("331 Password required\r\n")
                .client("PASS secret\r\n").server("530 Login incorrect.\r\n").fin(false);
        AppFacts f = t.facts();
        assertEquals("ftp", f.protocol());
        assertEquals("PASS", f.lastRequest().text());
        assertEquals("530 Login incorrect.", f.goodbye().text());
        assertTrue(f.rejected());
        assertEquals("smtp", new Talk().server("220 Welcome\r\n").client("HELO a\r\n").facts().protocol());
        assertEquals("ftp", new Talk().server("220 Welcome\r\n", "230 Logged in\r\n").facts().protocol(),
                "a reply code only FTP has, when no command was read");
        assertEquals("http", new Talk().client("CONNECT mx:25 HTTP/1.1\r\n\r\n").server("HTTP/1.1 200 OK\r\n\r\n")
                .server("220 mx ESMTP\r\n").client("EHLO a\r\n").facts().protocol(), "the first protocol names the connection");
    }

    @Test
    void aMailBodyThroughAConnectTunnelIsNoCommand() {
        Talk t = new Talk().client("CONNECT mx:25 / HTTP/1.0\r\n\r\n").server("HTTP/1.0 200 Connection established\r\n\r\n")
                .server("220 mx ESMTP ready.\r\n").client("HELO a\r\n").server("250 Ok.\r\n").client("DATA\r\n")
                .server("354 go\r\n").client("Return-Path: a\r\n").client("From: b\r\n\r\nhi\r\n.\r\n")
                .server("250 accepted.\r\n").client("QUIT\r\n").server("221 closing.\r\n").fin(false);
        assertEquals(List.of("1 c CONNECT mx:25 / HTTP/1.0", "2 s HTTP/1.0 200 Connection established", "3 s 220 mx ESMTP ready.",
                "4 c HELO", "5 s 250 Ok.", "6 c DATA", "7 s 354 go", "10 s 250 accepted.", "11 c QUIT", "12 s 221 closing."),
                t.said);
        AppFacts f = t.facts();
        assertEquals("http", f.protocol(), "the tunnel names the connection");
        assertEquals(false, f.unanswered(), "the body's lines asked nothing");
        assertEquals(new AppMessage(12, "server", "221 closing."), f.goodbye());
    }

    @Test
    void aLastCommandWithoutItsLineEndIsStillRead() {
        AppFacts f = new Talk().server("220 mx ESMTP\r\n").client("QUIT").fin(true).facts();
        assertEquals("QUIT", f.lastRequest().text());
    }

    @Test
    void imapLiteralsAreSkippedAndByeIsAGoodbye() {
        Talk t = new Talk().server("* OK IMAP4rev1 ready\r\n").client("a1 LOGIN bob {6}\r\n", "secret\r\n")
                .server("a1 OK LOGIN completed\r\n").client("a2 UID FETCH 1 BODY[]\r\n")
                .server("* 1 FETCH (BODY[] {24}\r\na2 OK fake\r\n* BYE fake\r\n)\r\n", "a2 OK FETCH completed\r\n")
                .server("* BYE Autologout; idle for too long\r\n").fin(false);
        assertEquals(List.of("1 s * OK IMAP4rev1 ready", "2 c a1 LOGIN", "4 s a1 OK LOGIN completed", "5 c a2 UID FETCH",
                "7 s a2 OK FETCH completed", "8 s * BYE Autologout; idle for too long"), t.said);
        AppFacts f = t.facts();
        assertEquals("imap", f.protocol());
        assertEquals("* BYE Autologout; idle for too long", f.goodbye().text());
        assertTrue(f.rejected());
        assertEquals(false, f.unanswered());
    }

    @Test
    void pop3MultiLineAnswersAndChallengesAreSkipped() {
        Talk t = new Talk().server("+OK ready\r\n").client("CAPA\r\n").server("+OK list follows\r\nUSER\r\n-ERR not a reply\r\n.\r\n")
                .client("AUTH PLAIN\r\n").server("+ \r\n").client("AGJvYgBzZWNyZXQ=\r\n").server("-ERR authentication failed\r\n")
                .fin(false);
        assertEquals(List.of("1 s +OK ready", "2 c CAPA", "3 s +OK list follows", "4 c AUTH", "7 s -ERR authentication failed"),
                t.said);
        AppFacts f = t.facts();
        assertTrue(f.rejected());
        assertEquals(false, f.unanswered());
    }

    @Test
    void theAnswerToQuitOrLogoutIsAGoodbyeButNoRefusal() {
        AppFacts pop = new Talk().server("+OK ready\r\n").client("STAT\r\n").server("+OK 2 320\r\n").client("QUIT\r\n")
                .server("+OK bye\r\n").fin(false).facts();
        assertEquals(new AppMessage(5, "server", "+OK bye"), pop.goodbye());
        assertFalse(pop.rejected());
        AppFacts stat = new Talk().server("+OK ready\r\n").client("STAT\r\n").server("+OK 2 320\r\n").fin(false).facts();
        assertNull(stat.goodbye(), "an +OK that answered another command is none");
        AppFacts imap = new Talk().server("* OK ready\r\n").client("a1 LOGOUT\r\n")
                .server("* BYE logging out\r\na1 OK LOGOUT completed\r\n").fin(false).facts();
        assertEquals(new AppMessage(3, "server", "a1 OK LOGOUT completed"), imap.goodbye());
        assertFalse(imap.rejected(), "a BYE the client asked for refuses nothing");
        AppFacts ftp = new Talk().server("220 ProFTPD ready\r\n").client("QUIT\r\n").server("221 Goodbye.\r\n").fin(false)
                .facts();
        assertEquals("221 Goodbye.", ftp.goodbye().text());
        assertFalse(ftp.rejected());
    }

    @Test
    void aPop3GreetingNotReadAsOneLeavesTheCommandsPairedWithTheirAnswers() {
        // a greeting in GBK: not a printable line, so POP3 is known only from the client's USER
        AppFacts f = new Talk().server("+OK \u00a1\u00b6 CMailServer 5.2 POP3 Service Ready\r\n").client("USER test@tt.com\r\n")
                .server("+OK welcome here\r\n").client("PASS 123456\r\n").server("-ERR the password incorrect\r\n")
                .client("QUIT\r\n").server("+OK bye\r\n").fin(false).facts();
        assertEquals("pop3", f.protocol());
        assertEquals(new AppMessage(7, "server", "+OK bye"), f.lastResponse());
        assertEquals(new AppMessage(7, "server", "+OK bye"), f.goodbye(), "the answer to QUIT");
        assertEquals(false, f.unanswered(), "USER, PASS and QUIT were each answered");
    }

    @Test
    void starttlsSwitchesBothSidesToTls() {
        AppFacts f = new Talk().server("220 mx ESMTP\r\n").client("STARTTLS\r\n").server("220 go ahead\r\n")
                .client(TlsDecoderTest.clientHello("mx.example")).server(TlsDecoderTest.SERVER_HELLO).facts();
        assertEquals("smtp", f.protocol());
        assertEquals("mx.example", f.tls().sni());
        assertEquals("ServerHello", f.lastResponse().text());
    }

    @Test
    void imapAndPop3StartTlsOnlyAfterTheServersYes() {
        Talk imap = new Talk().server("* OK ready\r\n").client("a1 STARTTLS\r\n").server("a1 OK Begin TLS now\r\n")
                .client(TlsDecoderTest.clientHello("imap.example"));
        assertEquals("imap.example", imap.facts().tls().sni());
        Talk pop = new Talk().server("+OK ready\r\n").client("STLS\r\n").server("-ERR not now\r\n")
                .client("USER bob\r\n");
        assertEquals("USER", pop.facts().lastRequest().text(), "refused: still POP3");
        pop.client("STLS\r\n").server("+OK go\r\n").client(TlsDecoderTest.clientHello("pop.example"));
        assertEquals("pop.example", pop.facts().tls().sni());
    }

    @Test
    void linesThatOnlyLookLikeTheseProtocolsAreNot() {
        assertNull(new Talk().server("220\u0001 binary\r\n").facts().protocol());
        assertNull(new Talk().server("+\r\n").facts().protocol());
        assertNull(new Talk().client("EHLO\u0000x\r\n").facts().protocol());
        assertFalse(new Talk().server("* OK \u0007\r\n").facts().protocol() != null);
    }
}
