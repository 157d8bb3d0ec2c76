/**
 * Containers' logs on disk, as the kubelet keeps them: the node API's {@code /containerLogs} reading the CRI log files
 * the runtime writes (rotated ones included, following them as they grow and rotate), and the rotation of those files
 * once they pass {@code containerLogMaxSize}, keeping {@code containerLogMaxFiles} per container.
 */
package io.bosun.agent.logs;
