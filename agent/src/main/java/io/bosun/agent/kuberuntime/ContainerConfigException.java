package io.bosun.agent.kuberuntime;

/** A container that cannot be configured as specified; reported as CreateContainerConfigError. */
public final class ContainerConfigException extends Exception {

    public ContainerConfigException(String message) {
        super(message);
    }
}
