/**
 * Pod status on the node: {@link io.bosun.agent.status.StatusManager} holds the latest status of each pod and is
 * where status leaves the node, through its {@link io.bosun.agent.status.StatusListener}s.
 */
package io.bosun.agent.status;
