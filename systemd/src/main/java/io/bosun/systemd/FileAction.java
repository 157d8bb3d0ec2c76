package io.bosun.systemd;

/**
 * What install or uninstall does to one file, decided from what is there: a pure function of the file's ownership
 * and state, so that running install twice changes nothing and an edited configuration file is never lost.
 */
public enum FileAction {
    CREATE("installed"),
    REPLACE("replaced"),
    SET_MODE("set the mode of"),
    UNCHANGED("unchanged"),
    KEEP_EDITED("kept (edited)"),
    REMOVE("removed"),
    KEEP("kept"),
    ABSENT("absent");

    private final String verb;

    FileAction(String verb) {
        this.verb = verb;
    }

    /** How the action is reported: {@code installed /usr/local/bin/bosun}. */
    public String verb() {
        return verb;
    }

    /**
     * @param exists      whether the file exists
     * @param sameContent whether it holds what install would write
     * @param sameMode    whether its mode is what install would set
     */
    public static FileAction install(Ownership ownership, boolean exists, boolean sameContent, boolean sameMode) {
        if (!exists) {
            return CREATE;
        }
        if (sameContent) {
            // The mode of a settings file is the user's too (a kubeconfig flag in it may call for 0600).
            return sameMode || ownership != Ownership.PROGRAM ? UNCHANGED : SET_MODE;
        }
        return ownership == Ownership.PROGRAM ? REPLACE : KEEP_EDITED;
    }

    /**
     * @param sameContent whether it holds what install would write
     * @param purge       whether the configuration goes too
     */
    public static FileAction uninstall(Ownership ownership, boolean exists, boolean sameContent, boolean purge) {
        if (!exists) {
            return ABSENT;
        }
        return switch (ownership) {
            case PROGRAM -> REMOVE;
            case DROP_IN -> purge || sameContent ? REMOVE : KEEP_EDITED;
            case CONFIG -> purge ? REMOVE : sameContent ? KEEP : KEEP_EDITED;
        };
    }
}
