package io.bosun.agent.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * Turns a handler's port (a number, or the name of one of the container's ports) into a port number, as the
 * kubelet's ResolveContainerPort does: a name is looked up first, then tried as a number written as a string.
 */
final class ContainerPorts {

    private ContainerPorts() {
    }

    static int resolve(IntOrString port, Container container) throws ProbeException {
        if (port == null || (port.getIntVal() == null && port.getStrVal() == null)) {
            throw new ProbeException("no port given");
        }
        int number;
        if (port.getIntVal() != null) {
            number = port.getIntVal();
        } else {
            String name = port.getStrVal();
            Integer byName = byName(container, name);
            if (byName != null) {
                number = byName;
            } else {
                try {
                    number = Integer.parseInt(name.trim());
                } catch (NumberFormatException e) {
                    throw new ProbeException("port \"" + name + "\" not found in container \""
                            + (container == null ? "" : container.getName()) + "\"");
                }
            }
        }
        if (number <= 0 || number >= 65536) {
            throw new ProbeException("invalid port number: " + number);
        }
        return number;
    }

    private static Integer byName(Container container, String name) {
        if (container == null || container.getPorts() == null) {
            return null;
        }
        for (ContainerPort p : container.getPorts()) {
            if (name.equals(p.getName()) && p.getContainerPort() != null) {
                return p.getContainerPort();
            }
        }
        return null;
    }
}
