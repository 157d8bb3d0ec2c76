package io.bosun.agent.logs;

import io.bosun.agent.nodeapi.NodeApiExchange;
import io.bosun.agent.nodeapi.NodeApiHandler;
import io.bosun.runtime.RuntimeError;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /containerLogs/{namespace}/{pod}/{container}}: a container's log, as the kubelet serves
 * {@code kubectl logs}, with the kubelet's query parameters ({@code follow}, {@code previous}, {@code tailLines},
 * {@code sinceSeconds}, {@code sinceTime}, {@code timestamps}, {@code limitBytes}), statuses and messages. The log
 * streams as it is read: once it has started, a failure can only end it.
 */
public final class ContainerLogsHandler implements NodeApiHandler {

    private static final Logger log = LoggerFactory.getLogger(ContainerLogsHandler.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    private final ContainerLogLookup lookup;
    private final Clock clock;

    public ContainerLogsHandler(ContainerLogLookup lookup, Clock clock) {
        this.lookup = lookup;
        this.clock = clock;
    }

    @Override
    public void handle(NodeApiExchange exchange) throws IOException, InterruptedException {
        if (!exchange.method().equals("GET")) {
            exchange.respond(405, TEXT, bytes("Method Not Allowed"));
            return;
        }
        List<String> path = exchange.pathParams();
        if (path.size() != 3) {
            exchange.respond(404, TEXT, bytes("404 page not found"));
            return;
        }
        String namespace = path.get(0);
        String podName = path.get(1);
        String container = path.get(2);
        String missing = podName.isEmpty() ? "podID" : container.isEmpty() ? "container name"
                : namespace.isEmpty() ? "podNamespace" : null;
        if (missing != null) {
            exchange.respond(400, TEXT, bytes("{\"message\": \"Missing " + missing + ".\"}"));
            return;
        }
        LogOptions options;
        String containerId;
        ContainerLogLookup.ContainerLog logFile;
        try {
            options = LogOptions.parse(exchange::query, clock.instant());
            Pod pod = lookup.pod(namespace, podName)
                    .orElseThrow(() -> new LogRequestException(404, "pod \"" + podName + "\" does not exist"));
            String statusId = LogTarget.containerId(pod, container, options.previous());
            containerId = LogTarget.runtimeId(statusId);
            logFile = logFile(containerId, statusId);
        } catch (LogRequestException e) {
            exchange.respond(e.status(), TEXT, bytes(e.getMessage()));
            return;
        }
        if (!Files.exists(logFile.logPath())) {
            exchange.respond(400, TEXT, bytes("failed to open log file \"" + logFile.logPath()
                    + "\": no such file or directory"));
            return;
        }
        try (OutputStream out = exchange.stream(200, TEXT)) {
            ContainerLogReader.read(logFile.logPath(), options, out,
                    () -> logFile.running() && lookup.container(containerId).running());
        } catch (NoSuchFileException e) {
            log.debug("log of container {} went while being read: {}", containerId, e.getMessage());
        } catch (IOException e) {
            // Most often the client went away; nothing more can be said to it.
            log.debug("log of container {} ended: {}", containerId, e.toString());
        } catch (RuntimeError e) {
            log.debug("following the log of container {} ended: {}", containerId, e.getMessage());
        }
    }

    private ContainerLogLookup.ContainerLog logFile(String containerId, String statusId)
            throws LogRequestException {
        try {
            return lookup.container(containerId);
        } catch (RuntimeError e) {
            log.debug("no status for container {}: {}", containerId, e.getMessage());
            throw new LogRequestException(400, "unable to retrieve container logs for " + statusId);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
