package dev.tcpautopsy.model;

/**
 * The application context of a {@link FlowRecord} ({@code flows[].app}), read from the encoded flow as
 * {@link Utf8Text} views; reused with its record. Absent parts: {@link #present} false, a message whose
 * {@link Message#present} is false, text views that are null.
 */
public final class AppRecord {
    /** The encoded {@code unanswered} when it is not known: 0 and 1 are false and true. */
    static final int UNKNOWN = 2;
    private boolean present, hasTls;
    private int unanswered;
    private final Utf8Text protocol = new Utf8Text(), sni = new Utf8Text(), alpn = new Utf8Text(),
            note = new Utf8Text();
    private final Message lastRequest = new Message(), lastResponse = new Message(), goodbye = new Message(),
            alert = new Message();

    void read(Reader r) {
        present = r.readByte() != 0;
        if (!present) {
            return;
        }
        r.text(protocol);
        lastRequest.read(r);
        lastResponse.read(r);
        unanswered = r.readByte();
        goodbye.read(r);
        hasTls = r.readByte() != 0;
        if (hasTls) {
            r.text(sni);
            r.text(alpn);
            alert.read(r);
        }
        r.text(note);
    }

    public boolean present() {
        return present;
    }

    public Utf8Text protocol() {
        return protocol;
    }

    public Message lastRequest() {
        return lastRequest;
    }

    public Message lastResponse() {
        return lastResponse;
    }

    /** A request was in flight when the connection ended (false also when that is not known). */
    public boolean unanswered() {
        return unanswered == 1;
    }

    /** Whether {@link #unanswered} is known: a request was seen, and the wire tells whether it was answered. */
    public boolean unansweredKnown() {
        return unanswered != UNKNOWN;
    }

    public Message goodbye() {
        return goodbye;
    }

    public boolean hasTls() {
        return hasTls;
    }

    public Utf8Text sni() {
        return sni;
    }

    public Utf8Text alpn() {
        return alpn;
    }

    public Message alert() {
        return alert;
    }

    public Utf8Text note() {
        return note;
    }

    AppContext context() {
        if (!present) {
            return null;
        }
        AppContext.Tls tls = hasTls ? new AppContext.Tls(sni.toString(), alpn.toString(), alert.message()) : null;
        return new AppContext(protocol.toString(), lastRequest.message(), lastResponse.message(),
                unanswered == UNKNOWN ? null : unanswered == 1, goodbye.message(), tls, note.toString());
    }

    /** One message of the application context. */
    public static final class Message {
        private boolean present;
        private long frame;
        private final Utf8Text from = new Utf8Text(), text = new Utf8Text();

        void read(Reader r) {
            present = r.readByte() != 0;
            if (present) {
                frame = r.readLong();
                r.text(from);
                r.text(text);
            }
        }

        public boolean present() {
            return present;
        }

        public long frame() {
            return frame;
        }

        public Utf8Text from() {
            return from;
        }

        public Utf8Text text() {
            return text;
        }

        AppContext.AppMessage message() {
            return present ? new AppContext.AppMessage(frame, from.toString(), text.toString()) : null;
        }
    }
}
