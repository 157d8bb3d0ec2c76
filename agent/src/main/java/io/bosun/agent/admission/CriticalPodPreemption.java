package io.bosun.agent.admission;

import io.bosun.agent.eviction.CriticalPods;
import io.bosun.agent.pod.PodQos;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which pods to stop so that a critical pod the node lacks resources for fits, as the kubelet's
 * CriticalPodAdmissionHandler chooses them (getPodsToPreempt): only pods the critical pod may preempt (not critical
 * themselves, or of a lower priority); as few guaranteed pods as would do were every burstable and best-effort pod
 * stopped, then as few burstable pods as would do besides them were every best-effort pod stopped, then the
 * best-effort pods still needed. Within a QoS class, the pod whose requests come closest to covering what is still
 * missing goes first, the smaller request (memory, then CPU) among equals.
 */
final class CriticalPodPreemption {

    /** What is still to be freed of a resource. */
    record Requirement(String resource, long quantity) {
    }

    /**
     * @param victims the pods to stop, best-effort first
     * @param unmet   what would still be missing with every pod the critical pod may preempt stopped; when not
     *                empty, no pod is to be stopped
     */
    record Choice(List<Pod> victims, List<Requirement> unmet) {

        /** The unmet requirements as the kubelet prints them. */
        String unmetText() {
            return unmet.stream().map(r -> "(res: %s, q: %d), ".formatted(r.resource(), r.quantity()))
                    .collect(Collectors.joining("", "[", "]"));
        }
    }

    private CriticalPodPreemption() {
    }

    /**
     * @param candidates the pods admitted and not finished, in the order they were admitted
     * @param shortfalls what the node lacks for the critical pod
     */
    static Choice choose(Pod critical, List<Pod> candidates, List<Shortfall> shortfalls) {
        List<Requirement> requirements = shortfalls.stream()
                .map(s -> new Requirement(s.resource(), s.missing())).toList();
        List<Pod> bestEffort = new ArrayList<>();
        List<Pod> burstable = new ArrayList<>();
        List<Pod> guaranteed = new ArrayList<>();
        for (Pod pod : candidates) {
            if (preemptable(critical, pod)) {
                switch (PodQos.of(pod.getSpec())) {
                    case BEST_EFFORT -> bestEffort.add(pod);
                    case BURSTABLE -> burstable.add(pod);
                    case GUARANTEED -> guaranteed.add(pod);
                }
            }
        }
        List<Requirement> unmet = subtract(requirements, concat(bestEffort, burstable, guaranteed));
        if (!unmet.isEmpty()) {
            return new Choice(List.of(), unmet);
        }
        List<Pod> guaranteedVictims = byDistance(guaranteed,
                subtract(requirements, concat(bestEffort, burstable)));
        List<Pod> burstableVictims = byDistance(burstable,
                subtract(requirements, concat(bestEffort, guaranteedVictims)));
        List<Pod> bestEffortVictims = byDistance(bestEffort,
                subtract(requirements, concat(burstableVictims, guaranteedVictims)));
        return new Choice(concat(bestEffortVictims, burstableVictims, guaranteedVictims), List.of());
    }

    /** The kubelet's Preemptable: a critical pod preempts any pod that is not, else only pods of a lower priority. */
    static boolean preemptable(Pod preemptor, Pod preemptee) {
        if (CriticalPods.critical(preemptor) && !CriticalPods.critical(preemptee)) {
            return true;
        }
        Integer mine = preemptor.getSpec().getPriority();
        Integer theirs = preemptee.getSpec().getPriority();
        return mine != null && theirs != null && mine > theirs;
    }

    /**
     * Repeatedly takes the pod closest to covering what is still required until nothing is; the pods are known to
     * cover it all.
     */
    private static List<Pod> byDistance(List<Pod> pods, List<Requirement> requirements) {
        List<Pod> left = new ArrayList<>(pods);
        List<Pod> chosen = new ArrayList<>();
        while (!requirements.isEmpty() && !left.isEmpty()) {
            // Every distance is below the number of requirements: one requirement adds at most 1.
            double bestDistance = requirements.size() + 1;
            int best = 0;
            for (int i = 0; i < left.size(); i++) {
                double distance = distance(requirements, left.get(i));
                if (distance < bestDistance
                        || distance == bestDistance && smallerRequest(left.get(i), left.get(best))) {
                    bestDistance = distance;
                    best = i;
                }
            }
            Pod pod = left.get(best);
            requirements = subtract(requirements, List.of(pod));
            chosen.add(pod);
            // As the kubelet removes it: the last pod takes its place, which decides among equals later.
            left.set(best, left.getLast());
            left.removeLast();
        }
        return chosen;
    }

    /** The squared fractions of each requirement the pod's requests leave uncovered, summed. */
    private static double distance(List<Requirement> requirements, Pod pod) {
        double distance = 0;
        for (Requirement r : requirements) {
            long remaining = r.quantity() - request(pod, r.resource());
            if (remaining > 0) {
                double fraction = (double) remaining / r.quantity();
                distance += fraction * fraction;
            }
        }
        return distance;
    }

    /** Whether the first pod requests less memory, or as much and less CPU, or as much of both. */
    private static boolean smallerRequest(Pod a, Pod b) {
        for (String resource : List.of(PodRequests.MEMORY, PodRequests.CPU)) {
            int c = Long.compare(request(a, resource), request(b, resource));
            if (c != 0) {
                return c < 0;
            }
        }
        return true;
    }

    /** What would still be required with the pods stopped. */
    private static List<Requirement> subtract(List<Requirement> requirements, List<Pod> pods) {
        List<Requirement> left = new ArrayList<>();
        for (Requirement r : requirements) {
            long quantity = r.quantity();
            for (int i = 0; i < pods.size() && quantity > 0; i++) {
                quantity -= request(pods.get(i), r.resource());
            }
            if (quantity > 0) {
                left.add(new Requirement(r.resource(), quantity));
            }
        }
        return left;
    }

    /** A pod takes one pod slot, and what it requests of anything else. */
    private static long request(Pod pod, String resource) {
        return PodRequests.PODS.equals(resource) ? 1 : PodRequests.of(pod.getSpec()).getOrDefault(resource, 0L);
    }

    @SafeVarargs
    private static List<Pod> concat(List<Pod>... lists) {
        return Stream.of(lists).flatMap(List::stream).toList();
    }
}
