package org.opinionwatch.contract.event;

/** Severity levels of the emergency plan, lowest first; NONE is the level of an incident before its first post. */
public enum Level {
    NONE, MINOR, GENERAL, MAJOR, CRITICAL;

    public boolean isAbove(Level other) {
        return compareTo(other) > 0;
    }
}
