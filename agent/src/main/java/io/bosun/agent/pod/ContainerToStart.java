package io.bosun.agent.pod;

import io.fabric8.kubernetes.api.model.Container;

/**
 * A container the worker should create and start.
 *
 * @param spec         the container from the pod spec
 * @param restartCount 0 for a first start, otherwise the latest observed instance's restart count + 1: it goes into
 *                     the {@code io.kubernetes.container.restartCount} annotation, the CRI attempt and the log file
 *                     name
 * @param reason       why it is started, for logs and events
 */
public record ContainerToStart(Container spec, int restartCount, String reason) {
}
