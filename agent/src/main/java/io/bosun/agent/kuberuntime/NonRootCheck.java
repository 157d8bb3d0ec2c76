package io.bosun.agent.kuberuntime;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * The kubelet's runAsNonRoot enforcement: a container that must not run as root is refused (as
 * CreateContainerConfigError) unless its user is known to be non-zero, from its security context or its image.
 */
public final class NonRootCheck {

    private NonRootCheck() {
    }

    /**
     * @param imageUid  the image's numeric user, null when the image names none or a non-numeric one
     * @param imageUser the image's user name, empty when none
     */
    public static void verify(Pod pod, Container c, Long imageUid, String imageUser) throws ContainerConfigException {
        var psc = pod.getSpec().getSecurityContext();
        var sc = c.getSecurityContext();
        Boolean nonRoot = sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot()
                : psc != null ? psc.getRunAsNonRoot() : null;
        if (!Boolean.TRUE.equals(nonRoot)) {
            return;
        }
        Long runAsUser = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser()
                : psc != null ? psc.getRunAsUser() : null;
        if (runAsUser != null) {
            if (runAsUser == 0) {
                throw new ContainerConfigException("container's runAsUser breaks non-root policy (pod: \""
                        + pod.getMetadata().getName() + "\", container: " + c.getName() + ")");
            }
            return;
        }
        if (imageUid != null) {
            if (imageUid == 0) {
                throw new ContainerConfigException("container has runAsNonRoot and image will run as root (pod: \""
                        + pod.getMetadata().getName() + "\", container: " + c.getName() + ")");
            }
            return;
        }
        if (imageUser != null && !imageUser.isEmpty()) {
            throw new ContainerConfigException("container has runAsNonRoot and image has non-numeric user ("
                    + imageUser + "), cannot verify user is non-root (pod: \"" + pod.getMetadata().getName()
                    + "\", container: " + c.getName() + ")");
        }
        throw new ContainerConfigException("container has runAsNonRoot and image will run as root (pod: \""
                + pod.getMetadata().getName() + "\", container: " + c.getName() + ")");
    }
}
