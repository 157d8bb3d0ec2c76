package io.bosun.manifests;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The whole path from manifest bytes to static pods, shared by the sources and {@code bosun lint}: parse, apply the
 * apiserver's defaults, validate, then give each pod its static identity.
 *
 * <p>A manifest is all or nothing, as in the kubelet: if any pod in it has a problem, it yields no pods. For a file
 * that is its one pod; for a URL it is the whole list, so one bad item does not take the others' pods down with it
 * by shrinking the list. The exception is a second pod with the same name or UID, which is dropped on its own (see
 * {@link UniquePods}).
 */
public final class ManifestLoader {

    private final ManifestParser parser = new ManifestParser();
    private final PodDefaulter defaulter = new PodDefaulter();
    private final PodValidator validator;
    private final StaticPodIdentity identity;
    private final FirstSeen firstSeen;

    /**
     * @param nodeName  the node the pods run on
     * @param firstSeen the source's memory of when each pod was first seen
     */
    public ManifestLoader(String nodeName, FirstSeen firstSeen) {
        this.validator = new PodValidator(nodeName);
        this.identity = new StaticPodIdentity(nodeName);
        this.firstSeen = Objects.requireNonNull(firstSeen, "firstSeen");
    }

    /**
     * @param location the file path or URL, used in problems and in the pods' UIDs
     * @param source   FILE accepts one Pod; HTTP also accepts a PodList or List
     */
    public ParsedManifest load(String location, byte[] content, ConfigSource source) {
        ParsedManifest parsed = parser.parse(location, content, source == ConfigSource.HTTP);
        if (!parsed.problems().isEmpty()) {
            return ParsedManifest.failed(location, parsed.problems());
        }
        List<ManifestProblem> problems = new ArrayList<>();
        for (int i = 0; i < parsed.pods().size(); i++) {
            Pod pod = parsed.pods().get(i);
            defaulter.apply(pod);
            problems.addAll(validator.validate(location, pod, parsed.lines().get(i)));
        }
        if (!problems.isEmpty()) {
            return ParsedManifest.failed(location, problems);
        }
        for (Pod pod : parsed.pods()) {
            identity.apply(pod, source, location, firstSeen::of);
        }
        UniquePods unique = new UniquePods();
        unique.add(parsed);
        return unique.result(location);
    }

    /**
     * Whether loading the same bytes from the same location again would give {@code earlier} once more: the load is a
     * function of them, but for the first-seen time of each pod, which stands as long as {@link FirstSeen} still
     * remembers the pod.
     */
    public boolean stillCurrent(ParsedManifest earlier) {
        return earlier.pods().stream().allMatch(pod -> firstSeen.remembers(pod.getMetadata().getUid()));
    }
}
