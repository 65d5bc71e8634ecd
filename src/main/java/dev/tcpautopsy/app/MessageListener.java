package dev.tcpautopsy.app;

/** Told of every message reported, in order, once its text is complete (tests compare them with tshark's). */
interface MessageListener {
    /** @param flags {@link Msg} bits */
    void message(boolean fromClient, long frame, int flags, String text);
}
