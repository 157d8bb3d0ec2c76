/**
 * The node's credentials, as the kubelet's: TLS bootstrap through a CertificateSigningRequest when the kubeconfig has
 * no usable client certificate, the kubelet's certificate store in the cert dir, and rotation before expiry.
 * {@link io.bosun.agent.cluster.credentials.NodeCredentials} is the entry point.
 */
package io.bosun.agent.cluster.credentials;
