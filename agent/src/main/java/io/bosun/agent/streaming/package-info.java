/**
 * The node API's exec, attach, port-forward and run endpoints: each finds the pod's container or sandbox, asks the
 * runtime for a streaming URL, and hands the client's upgraded connection to the runtime's streaming server, as the
 * kubelet does (it proxies, never redirects).
 */
package io.bosun.agent.streaming;
