package io.bosun.agent.cli;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bosun describe <pod>}: what kubectl describe would show, from the local API, plus the last lines of each
 * container's log — what an operator needs when the apiserver is itself one of the pods that is down.
 */
@Command(name = "describe", mixinStandardHelpOptions = true, description = "Describe a pod this node runs, or a manifest it cannot run.")
public final class DescribeCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Pod name, namespace/name, or an invalid manifest's file name "
            + "(without its extension) or path.")
    String pod;

    @Mixin
    LocalApiOptions localApi;

    @Option(names = "--pod-logs-dir", defaultValue = "/var/log/pods")
    Path podLogsDir;

    @Option(names = "--tail", defaultValue = "10", description = "Log lines per container (default: ${DEFAULT-VALUE}).")
    int tail;

    @Override
    public Integer call() throws Exception {
        LocalApiClient api = localApi.client();
        String namespace = pod.contains("/") ? pod.substring(0, pod.indexOf('/')) : null;
        String name = pod.contains("/") ? pod.substring(pod.indexOf('/') + 1) : pod;
        // A static pod is also found by its manifest's name, without the node-name suffix the kubelet adds.
        List<Pod> matches = api.pods().stream().filter(p -> (p.getMetadata().getName().equals(name)
                || p.getMetadata().getName().equals(name + "-" + p.getSpec().getNodeName()))
                && (namespace == null || p.getMetadata().getNamespace().equals(namespace))).toList();
        if (matches.isEmpty()) {
            List<InvalidManifest> invalid = InvalidManifest.of(api.problems()).stream()
                    .filter(m -> m.matches(pod) || namespace == null && m.matches(name)).toList();
            if (invalid.isEmpty()) {
                System.err.println("bosun: no pod " + pod + " on this node (see `bosun pods`)");
                return 1;
            }
            invalid.forEach(m -> print(m, System.out));
            return 0;
        }
        if (matches.size() > 1) {
            System.err.println("bosun: several pods are named " + name + "; say namespace/name");
            return 1;
        }
        print(matches.get(0), api.events(matches.get(0).getMetadata().getUid()), System.out);
        return 0;
    }

    /** A manifest that runs no pod: where it is and everything wrong with it. */
    void print(InvalidManifest m, PrintStream out) {
        out.printf("Name:         %s%n", m.name());
        out.printf("Source:       %s%n", m.source());
        out.printf("Status:       %s%n", InvalidManifest.STATUS);
        out.println("Problems:");
        for (var problem : m.problems()) {
            out.println("  " + InvalidManifest.withoutSource(problem));
        }
    }

    void print(Pod p, List<Map<String, Object>> events, PrintStream out) {
        var meta = p.getMetadata();
        var st = p.getStatus();
        out.printf("Name:         %s%n", meta.getName());
        out.printf("Namespace:    %s%n", meta.getNamespace());
        out.printf("Node:         %s/%s%n", p.getSpec().getNodeName(), st.getHostIP());
        out.printf("Start Time:   %s%n", Objects.toString(st.getStartTime(), "<none>"));
        out.printf("Labels:       %s%n", keyValues(meta.getLabels()));
        out.printf("Annotations:  %s%n", keyValues(meta.getAnnotations()));
        out.printf("Status:       %s%n", PodPrinter.status(p));
        out.printf("IP:           %s%n", Objects.toString(st.getPodIP(), ""));
        out.printf("QoS Class:    %s%n", st.getQosClass());
        describeContainers(out, "Init Containers", p, p.getSpec().getInitContainers(), st.getInitContainerStatuses());
        describeContainers(out, "Containers", p, p.getSpec().getContainers(), st.getContainerStatuses());
        out.println("Conditions:");
        out.printf("  %-26s %s%n", "Type", "Status");
        if (st.getConditions() != null) {
            for (PodCondition c : st.getConditions()) {
                out.printf("  %-26s %s%n", c.getType(), c.getStatus());
            }
        }
        out.println("Events:");
        if (events.isEmpty()) {
            out.println("  <none>");
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"  Type", "Reason", "Age", "From", "Message"});
            Instant now = Instant.now();
            for (Map<String, Object> e : events) {
                String age = ageOf(e, now);
                rows.add(new String[] {"  " + e.get("type"), String.valueOf(e.get("reason")), age, "bosun",
                    e.get("message") + (((Number) e.get("count")).intValue() > 1 ? " (x" + e.get("count") + ")" : "")});
            }
            out.print(Table.render(rows));
        }
    }

    private static String ageOf(Map<String, Object> e, Instant now) {
        Object last = e.get("lastSeen");
        return last == null ? "" : PodPrinter.humanDuration(Duration.between(Instant.parse(last.toString()), now));
    }

    private void describeContainers(PrintStream out, String title, Pod p, List<Container> specs,
                                    List<ContainerStatus> statuses) {
        if (specs == null || specs.isEmpty()) {
            return;
        }
        out.println(title + ":");
        for (Container c : specs) {
            ContainerStatus s = statuses == null ? null
                    : statuses.stream().filter(x -> x.getName().equals(c.getName())).findFirst().orElse(null);
            out.printf("  %s:%n", c.getName());
            out.printf("    Container ID:   %s%n", s == null ? "" : Objects.toString(s.getContainerID(), ""));
            out.printf("    Image:          %s%n", c.getImage());
            out.printf("    Image ID:       %s%n", s == null ? "" : Objects.toString(s.getImageID(), ""));
            if (s != null) {
                printState(out, "State:        ", s.getState());
                if (s.getLastState() != null && (s.getLastState().getTerminated() != null
                        || s.getLastState().getRunning() != null || s.getLastState().getWaiting() != null)) {
                    printState(out, "Last State:   ", s.getLastState());
                }
                out.printf("    Ready:          %s%n", Boolean.TRUE.equals(s.getReady()) ? "True" : "False");
                out.printf("    Restart Count:  %d%n", s.getRestartCount());
                printLogTail(out, p, c.getName(), s.getRestartCount() == null ? 0 : s.getRestartCount());
            }
        }
    }

    private static void printState(PrintStream out, String label, ContainerState state) {
        if (state == null) {
            return;
        }
        if (state.getRunning() != null) {
            out.printf("    %s  Running%n      Started:      %s%n", label, state.getRunning().getStartedAt());
        } else if (state.getWaiting() != null) {
            out.printf("    %s  Waiting%n      Reason:       %s%n", label, state.getWaiting().getReason());
            if (state.getWaiting().getMessage() != null) {
                out.printf("      Message:      %s%n", state.getWaiting().getMessage());
            }
        } else if (state.getTerminated() != null) {
            var t = state.getTerminated();
            out.printf("    %s  Terminated%n      Reason:       %s%n      Exit Code:    %d%n"
                    + "      Started:      %s%n      Finished:     %s%n", label, t.getReason(), t.getExitCode(),
                    t.getStartedAt(), t.getFinishedAt());
            if (t.getMessage() != null && !t.getMessage().isEmpty()) {
                out.printf("      Message:      %s%n", t.getMessage().strip());
            }
        }
    }

    private void printLogTail(PrintStream out, Pod p, String container, int restartCount) {
        var meta = p.getMetadata();
        Path log = podLogsDir.resolve(meta.getNamespace() + "_" + meta.getName() + "_" + meta.getUid())
                .resolve(container).resolve(restartCount + ".log");
        if (!Files.isReadable(log)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(log);
            out.printf("    Last log lines (%s):%n", log);
            for (String line : lines.subList(Math.max(0, lines.size() - tail), lines.size())) {
                // CRI log format: <timestamp> <stream> <P|F> <message>
                String[] f = line.split(" ", 4);
                out.println("      " + (f.length == 4 ? f[3] : line));
            }
        } catch (IOException e) {
            out.printf("    (cannot read %s: %s)%n", log, e.getMessage());
        }
    }

    private static String keyValues(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return "<none>";
        }
        StringBuilder sb = new StringBuilder();
        map.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : "\n              ").append(k).append('=').append(v));
        return sb.toString();
    }
}
