package io.bosun.agent.streaming;

import io.bosun.agent.nodeapi.FakeExchange;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeService;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A node with pods and running containers in memory, and a runtime that records the streaming calls made. */
final class StreamingFakes {

    static final String UID = "uid-1";

    /** The pods, containers and sandboxes the node knows, by namespace/name and pod UID. */
    static final class Locator implements PodLocator {
        final Map<String, Pod> pods = new HashMap<>();
        final Map<String, String> containers = new HashMap<>();
        final Map<String, String> sandboxes = new HashMap<>();

        Locator withPod(Pod pod) {
            pods.put(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(), pod);
            return this;
        }

        Locator withContainer(String uid, String name, String id) {
            containers.put(uid + "/" + name, id);
            return this;
        }

        Locator withSandbox(String uid, String id) {
            sandboxes.put(uid, id);
            return this;
        }

        @Override
        public Optional<Pod> pod(String namespace, String name) {
            return Optional.ofNullable(pods.get(namespace + "/" + name));
        }

        @Override
        public Optional<String> runningContainerId(String podUid, String containerName) {
            return Optional.ofNullable(containers.get(podUid + "/" + containerName));
        }

        @Override
        public Optional<String> readySandboxId(String podUid) {
            return Optional.ofNullable(sandboxes.get(podUid));
        }
    }

    /** One runtime call: its method name and arguments. */
    record Call(String method, List<Object> args) {
    }

    /** A runtime answering exec, attach and port-forward with a URL naming the call, and recording each call. */
    static final class Runtime {
        final List<Call> calls = new ArrayList<>();
        RuntimeError failure;
        io.bosun.runtime.ExecResult execResult = io.bosun.runtime.ExecResult.of(0, "", "");

        RuntimeService service() {
            return (RuntimeService) Proxy.newProxyInstance(RuntimeService.class.getClassLoader(),
                    new Class<?>[] {RuntimeService.class}, (proxy, method, args) -> {
                        calls.add(new Call(method.getName(), args == null ? List.of() : List.of(args)));
                        if (failure != null) {
                            throw failure;
                        }
                        return switch (method.getName()) {
                            case "exec" -> "http://127.0.0.1:4000/exec/tok";
                            case "attach" -> "http://127.0.0.1:4000/attach/tok";
                            case "portForward" -> "http://127.0.0.1:4000/portforward/tok";
                            case "execSync" -> execResult;
                            default -> throw new UnsupportedOperationException(method.getName());
                        };
                    });
        }

        Object onlyArg(String method) {
            List<Call> matching = calls.stream().filter(c -> c.method().equals(method)).toList();
            if (matching.size() != 1) {
                throw new AssertionError("expected one " + method + " call, got " + calls);
            }
            return matching.get(0).args().get(0);
        }
    }

    /** The pod default/web (UID {@link #UID}) with containers app and a tty container term, and init setup. */
    static Pod web() {
        return new PodBuilder().withNewMetadata().withNamespace("default").withName("web").withUid(UID).endMetadata()
                .withNewSpec()
                .addNewContainer().withName("app").withImage("busybox").endContainer()
                .addNewContainer().withName("term").withImage("busybox").withTty(true).withStdin(true).endContainer()
                .addNewInitContainer().withName("setup").withImage("busybox").endInitContainer()
                .endSpec().build();
    }

    /** A GET of {@code /prefix/p1/p2...}, its path parameters being {@code params}. */
    static FakeExchange get(String prefix, String... params) {
        return new FakeExchange("GET", "/" + prefix + "/" + String.join("/", params), params);
    }

    static FakeExchange post(String prefix, String... params) {
        return new FakeExchange("POST", "/" + prefix + "/" + String.join("/", params), params);
    }

    private StreamingFakes() {
    }
}
