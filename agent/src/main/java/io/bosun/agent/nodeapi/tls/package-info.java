/**
 * The node API's TLS, as the kubelet's: the serving certificate (given, self-signed or issued by the cluster, from
 * {@link io.bosun.agent.cluster.credentials.ServingCertificates}), the minimum version and cipher suites named as
 * Go names them, and client certificates requested, not required. {@link io.bosun.agent.nodeapi.tls.NodeApiTls} is
 * the entry point.
 */
package io.bosun.agent.nodeapi.tls;
