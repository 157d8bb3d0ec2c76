package io.bosun.agent.kuberuntime;

import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A volumeMount's {@code subPathExpr}: {@code $(VAR)} references expanded from the container's environment, as the
 * kubelet does. A reference to a variable that is undefined or empty is an error rather than a path that silently
 * names another directory, or the volume's root.
 */
final class SubPathExpr {

    private SubPathExpr() {
    }

    static String expand(String expr, Map<String, String> env) throws ContainerConfigException {
        SortedSet<String> missing = new TreeSet<>();
        String expanded = EnvExpander.expand(expr, name -> {
            String value = env.get(name);
            if (value == null || value.isEmpty()) {
                missing.add(name);
                return "";
            }
            return value;
        });
        if (!missing.isEmpty()) {
            throw new ContainerConfigException("subPathExpr " + expr + ": missing value for "
                    + String.join(", ", missing));
        }
        return expanded;
    }
}
