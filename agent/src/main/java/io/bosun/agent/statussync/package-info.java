/**
 * Pod status upward, as the kubelet's status manager: each pod's latest status is sent to the apiserver's
 * {@code pods/<name>/status} subresource as a strategic merge patch of what changed, with the pod's UID as
 * precondition; a static pod's status goes to its mirror pod.
 */
package io.bosun.agent.statussync;
