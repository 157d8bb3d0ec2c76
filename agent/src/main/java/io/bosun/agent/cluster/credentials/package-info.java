/**
 * The node's credentials, as the kubelet's: TLS bootstrap through a CertificateSigningRequest when the kubeconfig has
 * no usable client certificate, the kubelet's certificate store in the cert dir, and rotation before expiry; and the
 * node API's serving certificate (given, self-signed, or requested with {@code serverTLSBootstrap}) on the same
 * request, store and rotation code. {@link io.bosun.agent.cluster.credentials.NodeCredentials} and
 * {@link io.bosun.agent.cluster.credentials.ServingCertificates} are the entry points.
 */
package io.bosun.agent.cluster.credentials;
