package io.bosun.agent.apipods;

import io.bosun.agent.podconfig.PodConfig;
import io.bosun.agent.worker.PodWorkers;
import io.bosun.manifests.FirstSeen;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The pods the apiserver binds to this node, wired: their source into the pod config, the final delete of those
 * being deleted once their workers have stopped them, and their checkpoints when asked for.
 */
public final class ApiPods implements AutoCloseable {

    /** How long a start waits for the apiserver before running the checkpointed pods. */
    public static final Duration APISERVER_AWAY_AFTER = Duration.ofSeconds(10);

    private final ApiPodSource source;
    private final FinalPodDeleter deleter;

    private ApiPods(ApiPodSource source, FinalPodDeleter deleter) {
        this.source = source;
        this.deleter = deleter;
    }

    /**
     * Starts watching this node's pods; returns at once.
     *
     * @param checkpointPods keep the last known pods under {@code <rootDir>/checkpoints}
     */
    public static ApiPods start(KubernetesClient client, String nodeName, Path rootDir, boolean checkpointPods,
                                PodConfig podConfig, PodWorkers workers, Clock clock) {
        FinalPodDeleter deleter = new FinalPodDeleter(client, uid -> workers.state(uid) != null);
        workers.addTerminatedListener(deleter::podTerminated);
        PodCheckpoints checkpoints = checkpointPods ? new PodCheckpoints(rootDir.resolve("checkpoints"), nodeName)
                : null;
        ApiPodSource source = new ApiPodSource(boundTo(client, nodeName), nodeName,
                new ApiPodSnapshot(nodeName, new FirstSeen(clock)), podConfig::update, deleter::snapshot, checkpoints, APISERVER_AWAY_AFTER);
        source.start();
        return new ApiPods(source, deleter);
    }

    /** The pods bound to the node, in every namespace: what the Node authorizer lets a node list and watch. */
    static Informable<Pod> boundTo(KubernetesClient client, String nodeName) {
        return client.pods().inAnyNamespace().withField("spec.nodeName", nodeName);
    }

    @Override
    public void close() throws InterruptedException {
        source.close();
        deleter.close();
    }
}
