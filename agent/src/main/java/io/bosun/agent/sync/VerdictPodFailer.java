package io.bosun.agent.sync;

import io.bosun.agent.pod.PodVerdict;
import io.bosun.agent.worker.PodWorkers;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Fails a pod by giving it a verdict its worker's next sync acts on: the pod stays with its worker, which keeps it
 * stopped and Failed until its source removes it, as the kubelet keeps a killed pod terminated until it is deleted.
 */
public final class VerdictPodFailer implements PodFailer {

    private final PodVerdicts verdicts;
    private final PodWorkers workers;

    public VerdictPodFailer(PodVerdicts verdicts, PodWorkers workers) {
        this.verdicts = verdicts;
        this.workers = workers;
    }

    @Override
    public CompletableFuture<Void> kill(Pod pod, Duration grace, String reason, String message) {
        String uid = pod.getMetadata().getUid();
        if (workers.state(uid) == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> stopped = verdicts.give(uid, new PodVerdict(reason, message, grace));
        if (workers.state(uid) == null) {
            // Its worker ended meanwhile and will not forget the verdict: nothing of the pod runs.
            verdicts.forget(uid);
        }
        workers.signal(uid);
        return stopped;
    }
}
