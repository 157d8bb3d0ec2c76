package io.bosun.agent.cli;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bosun pods}: the pods this node runs, as kubectl would list them, from the local API. */
@Command(name = "pods", mixinStandardHelpOptions = true, description = "List the pods this node runs, and the manifests it cannot run.")
public final class PodsCommand implements Callable<Integer> {

    @Mixin
    LocalApiOptions localApi;

    @Override
    public Integer call() throws Exception {
        LocalApiClient api = localApi.client();
        List<Pod> pods = api.pods();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"});
        Instant now = Instant.now();
        for (Pod p : pods) {
            rows.add(new String[] {p.getMetadata().getNamespace(), p.getMetadata().getName(), PodPrinter.ready(p),
                PodPrinter.status(p), Integer.toString(PodPrinter.restarts(p)), PodPrinter.age(p, now)});
        }
        // Manifests that yield no pod are rows too: a pod missing from the list would otherwise go unnoticed.
        for (InvalidManifest m : InvalidManifest.of(api.problems())) {
            rows.add(new String[] {"", m.name(), "0/0", InvalidManifest.STATUS, "0", ""});
        }
        System.out.print(Table.render(rows));
        return 0;
    }
}
