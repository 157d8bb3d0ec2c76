package io.bosun.agent.kuberuntime;

/**
 * Runs work that must not be cut short by an interrupt of the calling thread: the work runs on a thread of its own
 * and the caller waits for it to end, then sees its interrupt again. Interrupts are how a pod worker cancels a sync
 * (a long image pull of a pod that was just removed); stopping containers must not be cancelled that way.
 */
final class Uninterruptibly {

    private Uninterruptibly() {
    }

    static void run(Runnable work) {
        RuntimeException[] failure = new RuntimeException[1];
        Error[] error = new Error[1];
        Thread t = Thread.ofVirtual().name(Thread.currentThread().getName() + "-kill").start(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                failure[0] = e;
            } catch (Error e) {
                error[0] = e;
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (error[0] != null) {
            throw error[0];
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }
}
