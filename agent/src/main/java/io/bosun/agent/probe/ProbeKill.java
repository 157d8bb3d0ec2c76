package io.bosun.agent.probe;

/**
 * A running container that its liveness or startup probe says must be killed and restarted.
 *
 * @param type                          LIVENESS or STARTUP
 * @param message                       the failing probe's last output ("HTTP probe failed with statuscode: 500")
 * @param terminationGracePeriodSeconds the probe's own terminationGracePeriodSeconds, which overrides the pod's for
 *                                      this kill, or null
 */
public record ProbeKill(ProbeType type, String message, Long terminationGracePeriodSeconds) {
}
