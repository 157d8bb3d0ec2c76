package io.bosun.agent.cli;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bosun pods}: the pods this node runs, as kubectl would list them, from the local API. */
@Command(name = "pods", mixinStandardHelpOptions = true, description = "List the pods this node runs.")
public final class PodsCommand implements Callable<Integer> {

    @Option(names = "--local-api-address", defaultValue = "127.0.0.1")
    String address;

    @Option(names = "--local-api-port", defaultValue = "10255")
    int port;

    @Override
    public Integer call() throws Exception {
        LocalApiClient api = new LocalApiClient(address, port);
        List<Pod> pods = api.pods();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"});
        Instant now = Instant.now();
        for (Pod p : pods) {
            rows.add(new String[] {p.getMetadata().getNamespace(), p.getMetadata().getName(), PodPrinter.ready(p),
                PodPrinter.status(p), Integer.toString(PodPrinter.restarts(p)), PodPrinter.age(p, now)});
        }
        System.out.print(Table.render(rows));
        for (String problem : api.problems()) {
            System.err.println("manifest problem: " + problem);
        }
        return 0;
    }
}
