package io.bosun.manifests;

import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.GRPCAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SleepAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Checks a container's probes and lifecycle hooks: one handler each, and settings Bosun can act on. */
final class HandlerValidator {

    enum ProbeKind {
        LIVENESS, READINESS, STARTUP;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final List<String> SCHEMES = List.of("HTTP", "HTTPS");
    private static final int MAX_PORT = 65535;

    private final Problems problems;
    private final Long gracePeriodSeconds;

    HandlerValidator(Problems problems, Long gracePeriodSeconds) {
        this.problems = problems;
        this.gracePeriodSeconds = gracePeriodSeconds;
    }

    void probe(Probe probe, FieldPath path, ProbeKind kind, Map<String, Integer> namedPorts) {
        if (probe == null) {
            return;
        }
        List<String> handlers = new ArrayList<>();
        if (probe.getExec() != null) {
            handlers.add("exec");
            exec(probe.getExec(), path.field("exec"));
        }
        if (probe.getHttpGet() != null) {
            handlers.add("httpGet");
            httpGet(probe.getHttpGet(), path.field("httpGet"), namedPorts);
        }
        if (probe.getTcpSocket() != null) {
            handlers.add("tcpSocket");
            port(probe.getTcpSocket().getPort(), path.field("tcpSocket").field("port"), namedPorts);
        }
        if (probe.getGrpc() != null) {
            handlers.add("grpc");
            grpc(probe.getGrpc(), path.field("grpc"));
        }
        exactlyOne(handlers, path, "exec, httpGet, tcpSocket or grpc");
        atLeast(probe.getInitialDelaySeconds(), 0, path.field("initialDelaySeconds"));
        atLeast(probe.getTimeoutSeconds(), 1, path.field("timeoutSeconds"));
        atLeast(probe.getPeriodSeconds(), 1, path.field("periodSeconds"));
        atLeast(probe.getFailureThreshold(), 1, path.field("failureThreshold"));
        Integer success = probe.getSuccessThreshold();
        if (kind != ProbeKind.READINESS && success != null && success != 1) {
            problems.invalid(path.field("successThreshold"), success, "must be 1 for a " + kind.label() + " probe");
        } else {
            atLeast(success, 1, path.field("successThreshold"));
        }
        Long grace = probe.getTerminationGracePeriodSeconds();
        if (grace != null) {
            if (kind == ProbeKind.READINESS) {
                problems.add(path.field("terminationGracePeriodSeconds"), "may not be set on a readiness probe");
            } else if (grace < 1) {
                problems.invalid(path.field("terminationGracePeriodSeconds"), grace, "must be at least 1");
            }
        }
    }

    void lifecycle(Lifecycle lifecycle, FieldPath path, Map<String, Integer> namedPorts) {
        if (lifecycle == null) {
            return;
        }
        handler(lifecycle.getPostStart(), path.field("postStart"), namedPorts);
        handler(lifecycle.getPreStop(), path.field("preStop"), namedPorts);
    }

    private void handler(LifecycleHandler handler, FieldPath path, Map<String, Integer> namedPorts) {
        if (handler == null) {
            return;
        }
        List<String> handlers = new ArrayList<>();
        if (handler.getExec() != null) {
            handlers.add("exec");
            exec(handler.getExec(), path.field("exec"));
        }
        if (handler.getHttpGet() != null) {
            handlers.add("httpGet");
            httpGet(handler.getHttpGet(), path.field("httpGet"), namedPorts);
        }
        if (handler.getTcpSocket() != null) {
            handlers.add("tcpSocket");
            port(handler.getTcpSocket().getPort(), path.field("tcpSocket").field("port"), namedPorts);
        }
        if (handler.getSleep() != null) {
            handlers.add("sleep");
            sleep(handler.getSleep(), path.field("sleep").field("seconds"));
        }
        exactlyOne(handlers, path, "exec, httpGet, tcpSocket or sleep");
    }

    private void exactlyOne(List<String> handlers, FieldPath path, String choices) {
        if (handlers.isEmpty()) {
            problems.add(path, "must specify a handler: one of " + choices);
        } else if (handlers.size() > 1) {
            problems.add(path, "must specify exactly one handler, found " + String.join(", ", handlers));
        }
    }

    private void exec(ExecAction exec, FieldPath path) {
        if (exec.getCommand().isEmpty()) {
            problems.required(path.field("command"));
        }
    }

    private void httpGet(HTTPGetAction action, FieldPath path, Map<String, Integer> namedPorts) {
        port(action.getPort(), path.field("port"), namedPorts);
        PodValidator.oneOf(action.getScheme(), SCHEMES, path.field("scheme"), problems);
        List<HTTPHeader> headers = action.getHttpHeaders();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.get(i).getName();
            FieldPath namePath = path.field("httpHeaders").index(i).field("name");
            if (name == null || name.isEmpty()) {
                problems.required(namePath);
            } else if (!Names.isHeaderName(name)) {
                problems.invalid(namePath, name, Names.HEADER_NAME_RULE);
            }
        }
    }

    private void grpc(GRPCAction grpc, FieldPath path) {
        Integer port = grpc.getPort();
        if (port == null || port == 0) {
            problems.required(path.field("port"));
        } else if (port < 1 || port > MAX_PORT) {
            problems.invalid(path.field("port"), port, "must be between 1 and " + MAX_PORT);
        }
    }

    /** A number, or the name of one of this container's ports; the kubelet resolves names in the container. */
    private void port(IntOrString port, FieldPath path, Map<String, Integer> namedPorts) {
        Object value = port == null ? null : port.getValue();
        if (value == null || "".equals(value)) {
            problems.required(path);
        } else if (value instanceof Integer number) {
            if (number < 1 || number > MAX_PORT) {
                problems.invalid(path, number, "must be between 1 and " + MAX_PORT);
            }
        } else if (value instanceof String name) {
            if (!Names.isPortName(name)) {
                problems.invalid(path, name, "must be a port number or " + Names.PORT_NAME_DESCRIPTION);
            } else if (!namedPorts.containsKey(name)) {
                problems.add(path, "no port named " + Problems.quote(name) + " in this container's ports");
            }
        } else {
            problems.invalid(path, value, "must be a port number or name");
        }
    }

    private void sleep(SleepAction sleep, FieldPath path) {
        Long seconds = sleep.getSeconds();
        if (seconds == null) {
            problems.required(path);
        } else if (seconds < 0) {
            problems.invalid(path, seconds, "must not be negative");
        } else if (gracePeriodSeconds != null && seconds > gracePeriodSeconds) {
            problems.invalid(path, seconds, "must not exceed terminationGracePeriodSeconds (" + gracePeriodSeconds
                    + ")");
        }
    }

    private void atLeast(Integer value, int minimum, FieldPath path) {
        if (value != null && value < minimum) {
            problems.invalid(path, value, "must be at least " + minimum);
        }
    }
}
