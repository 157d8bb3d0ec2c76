/**
 * Whether this node can run a pod, judged before anything of it runs, as the kubelet's admit handlers judge it; a
 * rejected pod is failed with the reason rather than run.
 */
package io.bosun.agent.admission;
