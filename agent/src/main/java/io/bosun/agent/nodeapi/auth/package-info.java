/**
 * Who may call the node API, as the kubelet decides it: authentication by client certificate, bearer token (through
 * TokenReview) or as anonymous; authorization by SubjectAccessReview on the node's {@code nodes/<subresource>}.
 * {@link io.bosun.agent.nodeapi.auth.NodeApiAuth} is the entry point the server calls for each request.
 */
package io.bosun.agent.nodeapi.auth;
