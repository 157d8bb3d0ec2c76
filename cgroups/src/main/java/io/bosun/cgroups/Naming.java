package io.bosun.cgroups;

import java.util.ArrayList;
import java.util.List;

/** Checks shared by both drivers on the components they are given. */
final class Naming {

    private Naming() {
    }

    /**
     * A component must be one directory name, and must not contain {@code _}: the systemd driver writes {@code -} as
     * {@code _}, so an {@code _} of its own could not be told apart when a name is read back (the kubelet forbids it
     * for the same reason).
     */
    static void checkComponent(String component, String what) {
        if (component == null || component.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        if (component.equals(".") || component.equals("..")) {
            throw new IllegalArgumentException(what + " \"" + component + "\" is not a directory name");
        }
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c == '/' || c == '_' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException(
                        what + " \"" + component + "\" contains '" + c + "', which cannot appear in a cgroup name");
            }
        }
    }

    static List<String> append(List<String> base, String component) {
        List<String> out = new ArrayList<>(base.size() + 1);
        out.addAll(base);
        out.add(component);
        return List.copyOf(out);
    }
}
