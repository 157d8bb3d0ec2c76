package io.bosun.manifests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodDefaulterTest {

    private static final String DIGEST =
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private final PodDefaulter defaulter = new PodDefaulter();

    private static Pod parse(String yaml) {
        ParsedManifest manifest = new ManifestParser().parse("pod.yaml", yaml.getBytes(UTF_8));
        assertThat(manifest.problems()).isEmpty();
        return manifest.pods().getFirst();
    }

    private static Pod withContainer(Container container) {
        return new PodBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withContainers(container).endSpec().build();
    }

    @Test
    void fillsInWhatTheApiserverFillsIn() {
        Pod pod = parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  initContainers:
                  - name: init
                    image: busybox:1.36
                  containers:
                  - name: httpd
                    image: busybox:1.36
                    ports:
                    - containerPort: 80
                """);

        defaulter.apply(pod);

        assertThat(pod.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Always");
        assertThat(pod.getSpec().getDnsPolicy()).isEqualTo("ClusterFirst");
        assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(30L);
        assertThat(pod.getSpec().getSchedulerName()).isEqualTo("default-scheduler");
        assertThat(pod.getSpec().getSecurityContext()).isNotNull();
        assertThat(pod.getSpec().getEnableServiceLinks()).isTrue();
        for (Container container : java.util.List.of(pod.getSpec().getInitContainers().getFirst(),
                pod.getSpec().getContainers().getFirst())) {
            assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
            assertThat(container.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
            assertThat(container.getTerminationMessagePolicy()).isEqualTo("File");
        }
        assertThat(pod.getSpec().getContainers().getFirst().getPorts().getFirst().getProtocol()).isEqualTo("TCP");
        assertThat(pod.getSpec().getContainers().getFirst().getPorts().getFirst().getHostPort()).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "busybox, Always",
            "busybox:latest, Always",
            "busybox:1.36, IfNotPresent",
            "127.0.0.1:5000/busybox, Always",
            "127.0.0.1:5000/busybox:1.36, IfNotPresent",
            "127.0.0.1:5000/busybox:latest, Always",
            "localhost:5000/library/busybox, Always",
            "registry.example.com/team/busybox:1.36, IfNotPresent",
            "busybox@" + DIGEST + ", IfNotPresent",
            "busybox:1.36@" + DIGEST + ", IfNotPresent",
            "busybox:latest@" + DIGEST + ", Always",
            "127.0.0.1:5000/busybox@" + DIGEST + ", IfNotPresent",
            "busybox:LATEST, IfNotPresent",
            "Busybox, IfNotPresent",
            "'', IfNotPresent",
    })
    void defaultsImagePullPolicyFromTheTag(String image, String expected) {
        Pod pod = withContainer(new ContainerBuilder().withName("c").withImage(image).build());

        defaulter.apply(pod);

        assertThat(pod.getSpec().getContainers().getFirst().getImagePullPolicy()).isEqualTo(expected);
    }

    @Test
    void keepsValuesThatAreSet() {
        Pod pod = parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web, namespace: kube-system}
                spec:
                  restartPolicy: Never
                  dnsPolicy: Default
                  terminationGracePeriodSeconds: 0
                  schedulerName: other
                  enableServiceLinks: false
                  containers:
                  - name: c
                    image: busybox
                    imagePullPolicy: Never
                    terminationMessagePath: /tmp/msg
                    terminationMessagePolicy: FallbackToLogsOnError
                    ports:
                    - containerPort: 53
                      protocol: UDP
                """);

        defaulter.apply(pod);

        assertThat(pod.getMetadata().getNamespace()).isEqualTo("kube-system");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getDnsPolicy()).isEqualTo("Default");
        assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).isZero();
        assertThat(pod.getSpec().getSchedulerName()).isEqualTo("other");
        assertThat(pod.getSpec().getEnableServiceLinks()).isFalse();
        Container container = pod.getSpec().getContainers().getFirst();
        assertThat(container.getImagePullPolicy()).isEqualTo("Never");
        assertThat(container.getTerminationMessagePath()).isEqualTo("/tmp/msg");
        assertThat(container.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
        assertThat(container.getPorts().getFirst().getProtocol()).isEqualTo("UDP");
    }

    @Test
    void defaultsProbesAndTreatsZeroAsUnset() {
        Pod pod = parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  containers:
                  - name: c
                    image: busybox
                    livenessProbe:
                      httpGet: {port: 80}
                      periodSeconds: 0
                    readinessProbe:
                      tcpSocket: {port: 80}
                      periodSeconds: 5
                      timeoutSeconds: 2
                      successThreshold: 2
                      failureThreshold: 6
                      initialDelaySeconds: 7
                    startupProbe:
                      grpc: {port: 9090}
                """);

        defaulter.apply(pod);

        Container container = pod.getSpec().getContainers().getFirst();
        Probe liveness = container.getLivenessProbe();
        assertThat(liveness.getPeriodSeconds()).isEqualTo(10);
        assertThat(liveness.getTimeoutSeconds()).isEqualTo(1);
        assertThat(liveness.getSuccessThreshold()).isEqualTo(1);
        assertThat(liveness.getFailureThreshold()).isEqualTo(3);
        assertThat(liveness.getInitialDelaySeconds()).isZero();
        assertThat(liveness.getHttpGet().getPath()).isEqualTo("/");
        assertThat(liveness.getHttpGet().getScheme()).isEqualTo("HTTP");
        Probe readiness = container.getReadinessProbe();
        assertThat(readiness.getPeriodSeconds()).isEqualTo(5);
        assertThat(readiness.getTimeoutSeconds()).isEqualTo(2);
        assertThat(readiness.getSuccessThreshold()).isEqualTo(2);
        assertThat(readiness.getFailureThreshold()).isEqualTo(6);
        assertThat(readiness.getInitialDelaySeconds()).isEqualTo(7);
        assertThat(container.getStartupProbe().getGrpc().getService()).isEmpty();
    }

    @Test
    void defaultsHttpGetOfLifecycleHooks() {
        Pod pod = parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  containers:
                  - name: c
                    image: busybox
                    lifecycle:
                      preStop:
                        httpGet: {port: 80, path: /quit, scheme: HTTPS}
                      postStart:
                        httpGet: {port: 80}
                """);

        defaulter.apply(pod);

        var lifecycle = pod.getSpec().getContainers().getFirst().getLifecycle();
        assertThat(lifecycle.getPostStart().getHttpGet().getPath()).isEqualTo("/");
        assertThat(lifecycle.getPostStart().getHttpGet().getScheme()).isEqualTo("HTTP");
        assertThat(lifecycle.getPreStop().getHttpGet().getPath()).isEqualTo("/quit");
        assertThat(lifecycle.getPreStop().getHttpGet().getScheme()).isEqualTo("HTTPS");
    }

    @Test
    void defaultsRequestsToLimits() {
        Pod pod = parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  containers:
                  - name: c
                    image: busybox
                    resources:
                      limits: {cpu: 500m, memory: 1Gi}
                      requests: {memory: 512Mi}
                  - name: d
                    image: busybox
                    resources:
                      requests: {cpu: 100m}
                """);

        defaulter.apply(pod);

        assertThat(pod.getSpec().getContainers().get(0).getResources().getRequests())
                .containsEntry("cpu", new Quantity("500m"))
                .containsEntry("memory", new Quantity("512Mi"));
        assertThat(pod.getSpec().getContainers().get(1).getResources().getRequests())
                .containsOnlyKeys("cpu");
    }

    @Test
    void defaultsVolumes() {
        Pod pod = parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  volumes:
                  - name: scratch
                  - name: cache
                    emptyDir: {}
                  - name: logs
                    hostPath: {path: /var/log}
                  containers:
                  - name: c
                    image: busybox
                """);

        defaulter.apply(pod);

        Volume scratch = pod.getSpec().getVolumes().get(0);
        assertThat(scratch.getEmptyDir()).isNotNull();
        assertThat(scratch.getEmptyDir().getMedium()).isEmpty();
        assertThat(pod.getSpec().getVolumes().get(1).getEmptyDir().getMedium()).isEmpty();
        assertThat(pod.getSpec().getVolumes().get(2).getHostPath().getType()).isEmpty();
        assertThat(pod.getSpec().getVolumes().get(2).getEmptyDir()).isNull();
    }

    @Test
    void makesContainerPortsHostPortsOnTheHostNetwork() {
        Pod pod = parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  hostNetwork: true
                  containers:
                  - name: c
                    image: busybox
                    ports:
                    - containerPort: 8080
                    - containerPort: 9090
                      hostPort: 9090
                """);

        defaulter.apply(pod);

        assertThat(pod.getSpec().getContainers().getFirst().getPorts())
                .extracting(port -> port.getHostPort()).containsExactly(8080, 9090);
    }

    @Test
    void defaultsTheApiVersionOfFieldReferences() {
        Pod pod = parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  containers:
                  - name: c
                    image: busybox
                    env:
                    - name: POD_IP
                      valueFrom:
                        fieldRef: {fieldPath: status.podIP}
                """);

        defaulter.apply(pod);

        assertThat(pod.getSpec().getContainers().getFirst().getEnv().getFirst().getValueFrom().getFieldRef()
                .getApiVersion()).isEqualTo("v1");
    }

    @Test
    void givesAPodWithoutMetadataOrSpecBoth() {
        Pod pod = new Pod();

        defaulter.apply(pod);

        assertThat(pod.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Always");
    }

    @Test
    void isIdempotent() {
        Pod pod = parse("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  hostNetwork: true
                  volumes:
                  - name: scratch
                  containers:
                  - name: c
                    image: busybox
                    ports: [{containerPort: 80}]
                    resources: {limits: {cpu: "1"}}
                    livenessProbe: {httpGet: {port: 80}}
                """);
        defaulter.apply(pod);
        Pod once = new PodBuilder(pod).build();

        defaulter.apply(pod);

        assertThat(pod).isEqualTo(once);
    }
}
