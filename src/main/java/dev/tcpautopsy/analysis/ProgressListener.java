package dev.tcpautopsy.analysis;

/** Receives progress while inputs are read; called from reading threads, so keep it cheap. */
public interface ProgressListener {
    ProgressListener NONE = (bytesDone, bytesTotal, packets) -> { };

    /**
     * @param bytesDone  input bytes consumed so far, all inputs together
     * @param bytesTotal total input bytes, or -1 when unknown (standard input)
     * @param packets    records read so far
     */
    void progress(long bytesDone, long bytesTotal, long packets);
}
