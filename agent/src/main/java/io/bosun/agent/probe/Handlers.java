package io.bosun.agent.probe;

import io.bosun.agent.time.Durations;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GRPCAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import java.time.Duration;
import java.util.List;

/**
 * Runs one Kubernetes handler against one container with a timeout and says how it went, in the kubelet's words:
 * exec (exit 0), httpGet (200-399), tcpSocket (connects), grpc (SERVING). Probes use these through
 * {@link #probe}; lifecycle hooks use the same building blocks with their own rules.
 *
 * <p>Stateless apart from the grpc prober's event loop, so one instance serves every worker; {@link #close()} ends
 * that loop.
 */
public final class Handlers implements AutoCloseable {

    /** The Kubernetes minor version Bosun's behaviour follows; the kubelet puts it in its User-Agent. */
    public static final String KUBE_VERSION = "1.31";
    public static final String PROBE_USER_AGENT = "kube-probe/" + KUBE_VERSION;
    public static final String LIFECYCLE_USER_AGENT = "kube-lifecycle/" + KUBE_VERSION;

    /** How long past its timeout an exec may take before Bosun stops waiting for the runtime to report it. */
    static final Duration EXEC_SLACK = Duration.ofSeconds(1);

    private final ExecRunner exec;
    private final GrpcProber grpc = new GrpcProber();

    public Handlers(ExecRunner exec) {
        this.exec = exec;
    }

    /**
     * Runs the probe's handler once.
     *
     * @throws ProbeException the handler could not be run (no handler, unknown port name, no pod IP, runtime error):
     *                        a probe error, which the kubelet does not count as a failure
     */
    public ProbeOutcome probe(Probe probe, Container container, String containerId, String podIP, Duration timeout)
            throws ProbeException, InterruptedException {
        if (probe.getExec() != null) {
            return exec(probe.getExec().getCommand(), containerId, timeout);
        }
        if (probe.getHttpGet() != null) {
            return httpGet(probe.getHttpGet(), container, podIP, timeout);
        }
        if (probe.getTcpSocket() != null) {
            return tcpSocket(probe.getTcpSocket(), container, podIP, timeout);
        }
        if (probe.getGrpc() != null) {
            return grpc(probe.getGrpc(), podIP, timeout);
        }
        throw new ProbeException("the probe has no handler");
    }

    /** Runs a command in the container: success is exit code 0. */
    public ProbeOutcome exec(List<String> command, String containerId, Duration timeout)
            throws ProbeException, InterruptedException {
        if (command == null || command.isEmpty()) {
            throw new ProbeException("the exec handler has no command");
        }
        String joined = Texts.command(command);
        ExecRunner.ExecResult result;
        try {
            result = Bounded.call("exec " + containerId, Durations.plus(timeout, EXEC_SLACK),
                    () -> exec.exec(containerId, command, timeout));
        } catch (Bounded.OverranException e) {
            return ProbeOutcome.failure(timedOut(joined));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new ProbeException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
        if (result.timedOut()) {
            return ProbeOutcome.failure(timedOut(joined));
        }
        if (result.exitCode() == 0) {
            return ProbeOutcome.success(Texts.excerpt(result.output()));
        }
        return ProbeOutcome.failure(exited(joined, result));
    }

    /** The kubelet's words for an exec that ran out of time. */
    static String timedOut(String joinedCommand) {
        return "command " + Texts.quote(joinedCommand) + " timed out";
    }

    /** The runtime client's words for a non-zero exit, with what the command printed. */
    static String exited(String joinedCommand, ExecRunner.ExecResult result) {
        return "command '" + joinedCommand + "' exited with " + result.exitCode() + ": "
                + Texts.excerpt(result.output()).strip();
    }

    /** GETs the URL: success is a status in 200-399; a redirect to another host is not followed, and warns. */
    public ProbeOutcome httpGet(HTTPGetAction action, Container container, String podIP, Duration timeout)
            throws ProbeException, InterruptedException {
        HttpGetRequest request = HttpGetRequest.of(action, container, podIP, PROBE_USER_AGENT);
        HttpGetter.Result result;
        try {
            result = HttpGetter.get(request.url(), request.headers(), timeout);
        } catch (HttpGetter.HttpFailure e) {
            return ProbeOutcome.failure(e.getMessage());
        }
        int status = result.status();
        if (status >= 200 && status < 400) {
            if (status >= 300) {
                return ProbeOutcome.warning("Probe terminated redirects, Response body: " + result.body());
            }
            return ProbeOutcome.success(result.body());
        }
        // The kubelet leaves the body out of failure messages: it may hold anything (issue 99425).
        return ProbeOutcome.failure("HTTP probe failed with statuscode: " + status);
    }

    /** Opens a TCP connection: success is that it opens within the timeout. */
    public ProbeOutcome tcpSocket(TCPSocketAction action, Container container, String podIP, Duration timeout)
            throws ProbeException, InterruptedException {
        String host = action.getHost() != null && !action.getHost().isEmpty() ? action.getHost() : podIP;
        if (host == null || host.isEmpty()) {
            throw new ProbeException("the pod has no IP address yet");
        }
        return TcpProber.probe(host, ContainerPorts.resolve(action.getPort(), container), timeout);
    }

    /** Calls grpc.health.v1.Health/Check on the pod's IP: success is SERVING. */
    public ProbeOutcome grpc(GRPCAction action, String podIP, Duration timeout)
            throws ProbeException, InterruptedException {
        if (podIP == null || podIP.isEmpty()) {
            throw new ProbeException("the pod has no IP address yet");
        }
        Integer port = action.getPort();
        if (port == null || port <= 0 || port >= 65536) {
            throw new ProbeException("invalid port number: " + port);
        }
        return grpc.check(podIP, port, action.getService(), timeout, PROBE_USER_AGENT);
    }

    /**
     * Sleeps {@code seconds}, but no longer than {@code bound}.
     *
     * @return whether the whole sleep happened
     */
    public static boolean sleep(long seconds, Duration bound) throws InterruptedException {
        Duration wanted = Duration.ofSeconds(Math.max(0, seconds));
        if (wanted.compareTo(bound) <= 0) {
            Thread.sleep(wanted);
            return true;
        }
        Thread.sleep(bound.isNegative() ? Duration.ZERO : bound);
        return false;
    }

    @Override
    public void close() {
        grpc.close();
    }
}
