package io.bosun.bench;

import io.bosun.cri.CriClient;
import io.bosun.cri.CriException;
import io.bosun.cri.v1.PodSandbox;
import io.bosun.cri.v1.PodSandboxFilter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The runtime's sandboxes of one pod namespace: whether any is left, and their removal as a last resort. */
final class CriSandboxes {

    private final CriClient cri;
    private final String namespace;

    CriSandboxes(CriClient cri, String namespace) {
        this.cri = cri;
        this.namespace = namespace;
    }

    List<PodSandbox> list() {
        return cri.runtime().listPodSandboxes(PodSandboxFilter.newBuilder()
                .putLabelSelector("io.kubernetes.pod.namespace", namespace).build());
    }

    /** Waits until the runtime holds no sandbox of the namespace, in any state; false if some is left at the end. */
    boolean awaitNone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!list().isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** Stops and removes every sandbox of the namespace, in parallel; returns how many there were. */
    int removeAll() {
        List<PodSandbox> left = list();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (PodSandbox s : left) {
                threads.submit(() -> remove(s.getId()));
            }
        }
        return left.size();
    }

    void remove(String sandboxId) {
        try {
            cri.runtime().stopPodSandbox(sandboxId);
            cri.runtime().removePodSandbox(sandboxId);
        } catch (CriException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
    }
}
