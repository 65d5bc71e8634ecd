package dev.tcpautopsy.model;

import java.util.List;

/** The verdict on one connection ({@code termination} in the JSON contract). */
public record Termination(TerminationClass cls, By by, String reason, String filter,
                          List<Evidence> evidence, List<Tag> tags, AppView appView) {
    public Termination {
        evidence = List.copyOf(evidence);
        tags = List.copyOf(tags);
    }
}
