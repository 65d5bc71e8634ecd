package dev.tcpautopsy.app;

/** What a message is to the conversation: bit flags a decoder hands to the tracker with each message. */
final class Msg {
    /** A request: the peer owes an answer. */
    static final int REQUEST = 1;
    /** A response: one request owed is answered (begun). */
    static final int RESPONSE = 2;
    /** With {@link #RESPONSE}: every request owed is answered (one reply to a batch). */
    static final int ANSWERS_ALL = 4;
    /** With {@link #RESPONSE}: sent on the sender's own account (a notice, a greeting, an interim 1xx): answers nothing. */
    static final int UNSOLICITED = 8;
    /** Ends a conversation when it is the sender's last message before its FIN or RST: an error, an alert. */
    static final int GOODBYE = 16;
    /** With {@link #GOODBYE}: the server's refusal to serve the client. */
    static final int REFUSAL = 32;
    /**
     * With {@link #REQUEST}: the wire does not say whether the message asked anything (an encrypted record the
     * size of an encrypted alert: a close_notify looks the same). A request owed on its account is not known to
     * be owed.
     */
    static final int OPAQUE = 64;

    private Msg() {
    }
}
