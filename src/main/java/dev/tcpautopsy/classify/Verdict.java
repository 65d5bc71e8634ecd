package dev.tcpautopsy.classify;

import dev.tcpautopsy.model.AppView;
import dev.tcpautopsy.model.By;
import dev.tcpautopsy.model.Evidence;
import dev.tcpautopsy.model.Tag;
import dev.tcpautopsy.model.Termination;
import dev.tcpautopsy.model.TerminationClass;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A verdict while it is being written: the class and who, one reason sentence, the frames that prove
 * it (each frame once, in frame order), tags the rule itself found, and what each application saw.
 */
final class Verdict {
    final TerminationClass cls;
    final By by;
    private String reason;
    private final List<Evidence> evidence = new ArrayList<>();
    final Set<Tag> tags = EnumSet.noneOf(Tag.class);
    String clientSaw = "none";
    String serverSaw = "none";

    Verdict(TerminationClass cls, By by, String reason) {
        this.cls = cls;
        this.by = by;
        this.reason = reason;
    }

    /** Adds a frame with its note; frame 0 (none) and repeated frames are ignored. */
    Verdict frame(long frame, String note) {
        if (frame <= 0) {
            return this;
        }
        for (int i = 0; i < evidence.size(); i++) {
            Evidence e = evidence.get(i);
            if (e.frame() == frame) {
                return this;
            }
        }
        evidence.add(new Evidence(frame, note));
        return this;
    }

    String reason() {
        return reason;
    }

    /** Adds a clause to the reason: {@code "; " + clause}. */
    Verdict also(String clause) {
        reason = reason + "; " + clause;
        return this;
    }

    /** Whether the evidence names {@code frame}. */
    boolean cites(long frame) {
        for (int i = 0; i < evidence.size(); i++) {
            Evidence e = evidence.get(i);
            if (e.frame() == frame) {
                return true;
            }
        }
        return false;
    }

    /** The last frame of the evidence, 0 when none. */
    long lastFrame() {
        long last = 0;
        for (int i = 0; i < evidence.size(); i++) {
            Evidence e = evidence.get(i);
            last = Math.max(last, e.frame());
        }
        return last;
    }

    String saw(boolean client) {
        return client ? clientSaw : serverSaw;
    }

    Verdict tag(Tag t) {
        tags.add(t);
        return this;
    }

    /** What the application on {@code client}'s side saw. */
    Verdict saw(boolean client, String what) {
        if (client) {
            clientSaw = what;
        } else {
            serverSaw = what;
        }
        return this;
    }

    /** The finished verdict, with the tags {@code more}: the last call on this one. */
    Termination build(String filter, Set<Tag> more) {
        evidence.sort((a, b) -> Long.compare(a.frame(), b.frame()));
        tags.addAll(more);
        return new Termination(cls, by, reason, filter, evidence, tags.isEmpty() ? List.of() : List.copyOf(tags),
                new AppView(clientSaw, serverSaw));
    }
}
