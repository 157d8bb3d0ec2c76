package io.bosun.systemd;

/** Whose a file {@code bosun install} lays out is, which decides what install and uninstall may do to it. */
public enum Ownership {
    /** Bosun's alone (the launcher, the jar, the unit): replaced by every install, removed by uninstall. */
    PROGRAM,
    /**
     * Bosun's until edited (the drop-in): an edited one is kept by install and by uninstall, an unchanged one
     * removed by uninstall.
     */
    DROP_IN,
    /** The user's settings: written once, never replaced once edited, removed only by {@code uninstall --purge}. */
    CONFIG
}
