/**
 * The kubelet's node API, served on {@code port} (10250, HTTPS, authenticated and authorized as the kubelet does), the
 * read-only port and the loopback healthz port: pods, logs, exec, attach, port-forward, metrics and stats, so that
 * {@code kubectl}, metrics-server and Prometheus reach Bosun as they reach a kubelet.
 */
package io.bosun.agent.nodeapi;
