/**
 * The node as the apiserver sees it: registration of the Node object, its status (capacity, allocatable, addresses,
 * nodeInfo, conditions) computed by pure functions and patched when changed, and the Lease that is the node's
 * heartbeat.
 */
package io.bosun.agent.nodestatus;
