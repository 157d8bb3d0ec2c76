package io.bosun.manifests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PodValidatorTest {

    private static final String NODE = "node1";

    /** Parses, defaults and validates a pod named web whose spec is {@code spec}; returns "field: message" lines. */
    private static List<String> problemsOfSpec(String spec) {
        return problems("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                """ + spec.indent(2));
    }

    private static List<String> problems(String yaml) {
        return validate(yaml, NODE).stream().map(p -> p.field() + ": " + p.message()).toList();
    }

    private static List<ManifestProblem> validate(String yaml, String node) {
        ParsedManifest manifest = new ManifestParser().parse("pod.yaml", yaml.getBytes(UTF_8));
        assertThat(manifest.problems()).as("parse problems").isEmpty();
        Pod pod = manifest.pods().getFirst();
        new PodDefaulter().apply(pod);
        return new PodValidator(node).validate("pod.yaml", pod, manifest.lines().getFirst());
    }

    /** A container spec with {@code extra} (indented YAML) added to a valid container. */
    private static List<String> problemsOfContainer(String extra) {
        return problemsOfSpec("""
                containers:
                - name: c
                  image: busybox:1.36
                """ + extra.indent(2));
    }

    @Test
    void acceptsAKubeadmStyleControlPlaneManifest() {
        assertThat(problems("""
                apiVersion: v1
                kind: Pod
                metadata:
                  annotations:
                    kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint: 10.0.0.1:6443
                  creationTimestamp: null
                  labels:
                    component: kube-apiserver
                    tier: control-plane
                  name: kube-apiserver
                  namespace: kube-system
                spec:
                  containers:
                  - command:
                    - kube-apiserver
                    - --advertise-address=10.0.0.1
                    image: registry.k8s.io/kube-apiserver:v1.31.0
                    imagePullPolicy: IfNotPresent
                    livenessProbe:
                      failureThreshold: 8
                      httpGet:
                        host: 10.0.0.1
                        path: /livez
                        port: 6443
                        scheme: HTTPS
                      initialDelaySeconds: 10
                      periodSeconds: 10
                      timeoutSeconds: 15
                    name: kube-apiserver
                    readinessProbe:
                      failureThreshold: 3
                      httpGet:
                        host: 10.0.0.1
                        path: /readyz
                        port: probe-port
                        scheme: HTTPS
                      periodSeconds: 1
                      timeoutSeconds: 15
                    ports:
                    - containerPort: 6443
                      name: probe-port
                    resources:
                      requests:
                        cpu: 250m
                    volumeMounts:
                    - mountPath: /etc/ssl/certs
                      name: ca-certs
                      readOnly: true
                    - mountPath: /etc/kubernetes/pki
                      name: k8s-certs
                      readOnly: true
                  hostNetwork: true
                  priority: 2000001000
                  priorityClassName: system-node-critical
                  securityContext:
                    seccompProfile:
                      type: RuntimeDefault
                  volumes:
                  - hostPath:
                      path: /etc/ssl/certs
                      type: DirectoryOrCreate
                    name: ca-certs
                  - hostPath:
                      path: /etc/kubernetes/pki
                      type: DirectoryOrCreate
                    name: k8s-certs
                status: {}
                """)).isEmpty();
    }

    @Test
    void reportsEveryProblemWithItsLine() {
        List<ManifestProblem> problems = validate("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: Web
                spec:
                  restartPolicy: Sometimes
                  containers:
                  - name: a
                    image: busybox
                  - name: b
                    command: [sleep, "1"]
                """, NODE);

        assertThat(problems).extracting(ManifestProblem::toString).containsExactly(
                "pod.yaml:4: metadata.name: invalid value \"Web\": " + Names.SUBDOMAIN_RULE,
                "pod.yaml:10: spec.containers[1].image: required",
                "pod.yaml:6: spec.restartPolicy: unsupported value \"Sometimes\": must be one of Always, OnFailure,"
                        + " Never");
    }

    @Test
    void validatesAPodThatDidNotComeFromText() {
        Pod pod = new PodBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().addNewContainer().withName("c").endContainer().endSpec().build();
        new PodDefaulter().apply(pod);

        assertThat(new PodValidator(NODE).validate("api", pod, LineIndex.none()))
                .containsExactly(new ManifestProblem("api", 0, "spec.containers[0].image", "required"));
    }

    @Test
    void needsANodeName() {
        assertThatThrownBy(() -> new PodValidator(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Nested
    class Metadata {

        @Test
        void refusesAUidThatIsNotAPlainToken() {
            assertThat(problems("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: web, uid: "../../../etc"}
                    spec:
                      containers: [{name: c, image: busybox}]
                    """)).containsExactly("metadata.uid: invalid value \"../../../etc\": " + Names.UID_RULE);
            assertThat(problems("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: web, uid: 0b6a3c1e-2f7d-4a9b-8c1d-5e6f7a8b9c0d}
                    spec:
                      containers: [{name: c, image: busybox}]
                    """)).isEmpty();
        }

        @Test
        void requiresAName() {
            assertThat(problems("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {namespace: kube-system}
                    spec:
                      containers: [{name: c, image: busybox}]
                    """)).containsExactly("metadata.name: required");
        }

        @Test
        void checksTheNameWithTheNodeNameAppended() {
            String name = "a".repeat(250);
            String yaml = """
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: %s}
                    spec:
                      containers: [{name: c, image: busybox}]
                    """.formatted(name);

            assertThat(problems(yaml)).containsExactly("metadata.name: with the node name appended, the pod name \""
                    + name + "-node1\" " + Names.SUBDOMAIN_RULE);
            assertThat(validate(yaml.replace(name, "web"), "Node_1")).extracting(ManifestProblem::message)
                    .containsExactly("with the node name appended, the pod name \"web-node_1\" "
                            + Names.SUBDOMAIN_RULE);
            assertThat(validate(yaml.replace(name, "web"), "Node-1.Example.COM")).isEmpty();
        }

        @Test
        void checksNamespaceLabelsAndAnnotations() {
            assertThat(problems("""
                    apiVersion: v1
                    kind: Pod
                    metadata:
                      name: web
                      namespace: kube.system
                      labels:
                        app: web
                        example.com/tier: "-bad"
                        "bad key!": x
                      annotations:
                        example.com/Owner: team
                        "/nope": x
                    spec:
                      containers: [{name: c, image: busybox}]
                    """)).containsExactly(
                    "metadata.namespace: invalid value \"kube.system\": " + Names.LABEL_RULE,
                    "metadata.labels[example.com/tier]: invalid value \"-bad\": " + Names.LABEL_VALUE_RULE,
                    "metadata.labels[bad key!]: invalid label key \"bad key!\": " + Names.QUALIFIED_NAME_RULE,
                    "metadata.annotations[/nope]: invalid annotation key \"/nope\": " + Names.QUALIFIED_NAME_RULE);
        }
    }

    @Nested
    class Containers {

        @Test
        void requiresAtLeastOne() {
            assertThat(problemsOfSpec("containers: []")).containsExactly("spec.containers: required");
        }

        @Test
        void requiresValidUniqueNamesAcrossInitContainers() {
            assertThat(problemsOfSpec("""
                    initContainers:
                    - {name: setup, image: busybox}
                    - {name: web, image: busybox}
                    containers:
                    - {name: web, image: busybox}
                    - {name: Web_1, image: busybox}
                    - {image: busybox}
                    """)).containsExactly(
                    "spec.containers[1].name: invalid value \"Web_1\": " + Names.LABEL_RULE,
                    "spec.containers[2].name: required",
                    "spec.initContainers[1].name: duplicate container name \"web\", already used by"
                            + " spec.containers[0]");
        }

        @Test
        void requiresAnImageWithoutSurroundingSpace() {
            assertThat(problemsOfSpec("""
                    containers:
                    - {name: a}
                    - {name: b, image: "  "}
                    - {name: c, image: "busybox "}
                    """)).containsExactly(
                    "spec.containers[0].image: required",
                    "spec.containers[1].image: required",
                    "spec.containers[2].image: invalid value \"busybox \": must not have leading or trailing"
                            + " whitespace");
        }

        @Test
        void checksPolicies() {
            assertThat(problemsOfContainer("""
                    imagePullPolicy: Sometimes
                    terminationMessagePolicy: Maybe
                    """)).containsExactly(
                    "spec.containers[0].imagePullPolicy: unsupported value \"Sometimes\": must be one of Always,"
                            + " IfNotPresent, Never",
                    "spec.containers[0].terminationMessagePolicy: unsupported value \"Maybe\": must be one of File,"
                            + " FallbackToLogsOnError");
        }

        @Test
        void allowsRestartPolicyOnlyAsAlwaysOnInitContainers() {
            assertThat(problemsOfSpec("""
                    initContainers:
                    - {name: sidecar, image: busybox, restartPolicy: Always, readinessProbe: {exec: {command: [cat]}}}
                    - {name: once, image: busybox, restartPolicy: Never}
                    containers:
                    - {name: c, image: busybox, restartPolicy: Always}
                    """)).containsExactly(
                    "spec.containers[0].restartPolicy: may only be set on init containers",
                    "spec.initContainers[0].restartPolicy: a sidecar init container (restartPolicy: Always) is not "
                            + "supported by Bosun",
                    "spec.initContainers[1].restartPolicy: unsupported value \"Never\": must be one of Always");
        }

        @Test
        void forbidsProbesAndHooksOnPlainInitContainers() {
            assertThat(problemsOfSpec("""
                    initContainers:
                    - name: setup
                      image: busybox
                      livenessProbe: {exec: {command: [cat]}}
                      lifecycle: {preStop: {exec: {command: [cat]}}}
                    containers:
                    - {name: c, image: busybox}
                    """)).containsExactly(
                    "spec.initContainers[0].livenessProbe: may not be set on an init container unless its"
                            + " restartPolicy is Always",
                    "spec.initContainers[0].lifecycle: may not be set on an init container unless its"
                            + " restartPolicy is Always");
        }

        @Test
        void rejectsEphemeralContainersAndVolumeDevices() {
            assertThat(problemsOfSpec("""
                    ephemeralContainers:
                    - {name: debug, image: busybox}
                    containers:
                    - name: c
                      image: busybox
                      volumeDevices: [{name: disk, devicePath: /dev/xvda}]
                    """)).containsExactly(
                    "spec.containers[0].volumeDevices: volumeDevices (raw block volumes) is not supported by Bosun",
                    "spec.ephemeralContainers: may not be set when a pod is created");
        }
    }

    @Nested
    class Ports {

        @Test
        void checksNumbersAndProtocols() {
            assertThat(problemsOfContainer("""
                    ports:
                    - containerPort: 0
                    - containerPort: 70000
                    - containerPort: 80
                      hostPort: -1
                    - containerPort: 81
                      hostPort: 65536
                    - containerPort: 82
                      protocol: ICMP
                    - containerPort: 83
                      hostIP: localhost
                    """)).containsExactly(
                    "spec.containers[0].ports[0].containerPort: required",
                    "spec.containers[0].ports[1].containerPort: invalid value 70000: must be between 1 and 65535",
                    "spec.containers[0].ports[2].hostPort: invalid value -1: must be between 1 and 65535, or 0 for"
                            + " none",
                    "spec.containers[0].ports[3].hostPort: invalid value 65536: must be between 1 and 65535, or 0"
                            + " for none",
                    "spec.containers[0].ports[4].protocol: unsupported value \"ICMP\": must be one of TCP, UDP, SCTP",
                    "spec.containers[0].ports[5].hostIP: invalid value \"localhost\": must be an IP address");
        }

        @Test
        void checksNames() {
            assertThat(problemsOfContainer("""
                    ports:
                    - {containerPort: 80, name: http}
                    - {containerPort: 81, name: http}
                    - {containerPort: 82, name: a-very-long-port-name}
                    - {containerPort: 83, name: "8080"}
                    - {containerPort: 84, name: web--ui}
                    - {containerPort: 85, name: Web}
                    - {containerPort: 86, name: metrics-2}
                    """)).containsExactly(
                    "spec.containers[0].ports[1].name: duplicate port name \"http\" in this container",
                    "spec.containers[0].ports[2].name: invalid value \"a-very-long-port-name\": "
                            + Names.PORT_NAME_RULE,
                    "spec.containers[0].ports[3].name: invalid value \"8080\": " + Names.PORT_NAME_RULE,
                    "spec.containers[0].ports[4].name: invalid value \"web--ui\": " + Names.PORT_NAME_RULE,
                    "spec.containers[0].ports[5].name: invalid value \"Web\": " + Names.PORT_NAME_RULE);
        }

        @Test
        void rejectsTheSamePortAndProtocolTwiceInAContainer() {
            assertThat(problemsOfContainer("""
                    ports:
                    - {containerPort: 53}
                    - {containerPort: 53, protocol: UDP}
                    - {containerPort: 53, protocol: TCP}
                    """)).containsExactly(
                    "spec.containers[0].ports[2].containerPort: duplicate port 53/TCP in this container");
        }

        @Test
        void rejectsAHostPortTakenByAnotherContainer() {
            assertThat(problemsOfSpec("""
                    containers:
                    - {name: a, image: busybox, ports: [{containerPort: 80, hostPort: 8080}]}
                    - {name: b, image: busybox, ports: [{containerPort: 81, hostPort: 8080, protocol: UDP}]}
                    - {name: c, image: busybox, ports: [{containerPort: 82, hostPort: 8080}]}
                    """)).containsExactly("spec.containers[2].ports[0].hostPort: duplicate host port 8080, already"
                    + " used by spec.containers[0].ports[0].hostPort");
        }

        @Test
        void requiresHostPortsToMatchOnTheHostNetwork() {
            assertThat(problemsOfSpec("""
                    hostNetwork: true
                    containers:
                    - {name: a, image: busybox, ports: [{containerPort: 80, hostPort: 8080}, {containerPort: 81}]}
                    - {name: b, image: busybox, ports: [{containerPort: 81}]}
                    """)).containsExactly(
                    "spec.containers[0].ports[0].hostPort: invalid value 8080: must equal containerPort when the pod"
                            + " uses the host's network",
                    "spec.containers[1].ports[0].hostPort: duplicate host port 81, already used by"
                            + " spec.containers[0].ports[1].hostPort");
        }
    }

    @Nested
    class Environment {

        @Test
        void acceptsPrintableNamesButNotEquals() {
            assertThat(problemsOfContainer("""
                    env:
                    - {name: PATH, value: /bin}
                    - {name: my.setting-1, value: x}
                    - {name: "with space", value: x}
                    - {name: "A=B", value: x}
                    - {name: "tab\\there", value: x}
                    - {value: x}
                    """)).containsExactly(
                    "spec.containers[0].env[3].name: invalid value \"A=B\": " + Names.ENV_NAME_RULE,
                    // Control characters are shown escaped, so that a problem stays on one line.
                    "spec.containers[0].env[4].name: invalid value \"tab\\there\": " + Names.ENV_NAME_RULE,
                    "spec.containers[0].env[5].name: required");
        }

        @Test
        void acceptsTheFieldReferencesBosunFillsIn() {
            StringBuilder env = new StringBuilder("env:\n");
            for (String path : ContainerValidator.FIELD_PATHS) {
                env.append("- {name: V").append(env.length()).append(", valueFrom: {fieldRef: {fieldPath: ")
                        .append(path).append("}}}\n");
            }

            assertThat(problemsOfContainer(env.toString())).isEmpty();
        }

        @Test
        void rejectsOtherValueSources() {
            assertThat(problemsOfContainer("""
                    env:
                    - {name: A, valueFrom: {configMapKeyRef: {name: cm, key: k}}}
                    - {name: B, valueFrom: {secretKeyRef: {name: s, key: k}}}
                    - {name: C, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}
                    - {name: D, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}
                    - {name: E, valueFrom: {fieldRef: {fieldPath: status.podIP, apiVersion: v2}}}
                    - {name: F, value: x, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
                    - {name: G, valueFrom: {}}
                    """)).containsExactly(
                    "spec.containers[0].env[0].valueFrom.configMapKeyRef: static pods may not reference API"
                            + " objects (configmaps)",
                    "spec.containers[0].env[1].valueFrom.secretKeyRef: static pods may not reference API objects"
                            + " (secrets)",
                    "spec.containers[0].env[2].valueFrom.resourceFieldRef: resourceFieldRef is not supported by"
                            + " Bosun",
                    "spec.containers[0].env[3].valueFrom.fieldRef.fieldPath: \"metadata.labels['app']\" is not"
                            + " supported by Bosun: must be one of metadata.name, metadata.namespace, metadata.uid,"
                            + " spec.nodeName, status.podIP, status.hostIP",
                    "spec.containers[0].env[4].valueFrom.fieldRef.apiVersion: unsupported value \"v2\": must be one"
                            + " of v1",
                    "spec.containers[0].env[5].valueFrom: may not be set together with value",
                    "spec.containers[0].env[6].valueFrom: must name a source: fieldRef");
        }

        @Test
        void rejectsEnvFrom() {
            assertThat(problemsOfContainer("""
                    envFrom:
                    - configMapRef: {name: settings}
                    - secretRef: {name: credentials}
                    """)).containsExactly(
                    "spec.containers[0].envFrom[0].configMapRef: static pods may not reference API objects"
                            + " (configmaps)",
                    "spec.containers[0].envFrom[1].secretRef: static pods may not reference API objects (secrets)");
        }
    }

    @Nested
    class Probes {

        @Test
        void requiresExactlyOneHandler() {
            assertThat(problemsOfContainer("""
                    livenessProbe: {periodSeconds: 5}
                    readinessProbe:
                      exec: {command: [cat]}
                      tcpSocket: {port: 80}
                    """)).containsExactly(
                    "spec.containers[0].livenessProbe: must specify a handler: one of exec, httpGet, tcpSocket or"
                            + " grpc",
                    "spec.containers[0].readinessProbe: must specify exactly one handler, found exec, tcpSocket");
        }

        @Test
        void resolvesPortsByNumberOrByTheContainersPortNames() {
            assertThat(problemsOfContainer("""
                    ports: [{containerPort: 8080, name: http}]
                    livenessProbe: {httpGet: {port: http}}
                    readinessProbe: {httpGet: {port: metrics}}
                    startupProbe: {tcpSocket: {port: 70000}}
                    """)).containsExactly(
                    "spec.containers[0].readinessProbe.httpGet.port: no port named \"metrics\" in this container's"
                            + " ports",
                    "spec.containers[0].startupProbe.tcpSocket.port: invalid value 70000: must be between 1 and"
                            + " 65535");
        }

        @Test
        void checksHandlerDetails() {
            assertThat(problemsOfContainer("""
                    livenessProbe: {exec: {command: []}}
                    readinessProbe:
                      httpGet:
                        port: "80"
                        scheme: FTP
                        httpHeaders: [{name: "X Bad", value: x}, {value: y}]
                    startupProbe: {grpc: {service: health}}
                    """)).containsExactly(
                    "spec.containers[0].livenessProbe.exec.command: required",
                    "spec.containers[0].readinessProbe.httpGet.port: invalid value \"80\": must be a port number or "
                            + Names.PORT_NAME_DESCRIPTION,
                    "spec.containers[0].readinessProbe.httpGet.scheme: unsupported value \"FTP\": must be one of"
                            + " HTTP, HTTPS",
                    "spec.containers[0].readinessProbe.httpGet.httpHeaders[0].name: invalid value \"X Bad\": "
                            + Names.HEADER_NAME_RULE,
                    "spec.containers[0].readinessProbe.httpGet.httpHeaders[1].name: required",
                    "spec.containers[0].startupProbe.grpc.port: required");
        }

        @Test
        void checksNumbers() {
            assertThat(problemsOfContainer("""
                    readinessProbe:
                      exec: {command: [cat]}
                      initialDelaySeconds: -1
                      timeoutSeconds: -1
                      periodSeconds: -1
                      successThreshold: -1
                      failureThreshold: -1
                      terminationGracePeriodSeconds: 5
                    """)).containsExactly(
                    "spec.containers[0].readinessProbe.initialDelaySeconds: invalid value -1: must be at least 0",
                    "spec.containers[0].readinessProbe.timeoutSeconds: invalid value -1: must be at least 1",
                    "spec.containers[0].readinessProbe.periodSeconds: invalid value -1: must be at least 1",
                    "spec.containers[0].readinessProbe.failureThreshold: invalid value -1: must be at least 1",
                    "spec.containers[0].readinessProbe.successThreshold: invalid value -1: must be at least 1",
                    "spec.containers[0].readinessProbe.terminationGracePeriodSeconds: may not be set on a readiness"
                            + " probe");
        }

        @Test
        void requiresOneSuccessForLivenessAndStartup() {
            assertThat(problemsOfContainer("""
                    livenessProbe: {exec: {command: [cat]}, successThreshold: 2, terminationGracePeriodSeconds: 0}
                    startupProbe: {exec: {command: [cat]}, successThreshold: 3}
                    readinessProbe: {exec: {command: [cat]}, successThreshold: 3}
                    """)).containsExactly(
                    "spec.containers[0].livenessProbe.successThreshold: invalid value 2: must be 1 for a liveness"
                            + " probe",
                    "spec.containers[0].livenessProbe.terminationGracePeriodSeconds: invalid value 0: must be at"
                            + " least 1",
                    "spec.containers[0].startupProbe.successThreshold: invalid value 3: must be 1 for a startup"
                            + " probe");
        }

        @Test
        void checksLifecycleHooks() {
            assertThat(problemsOfSpec("""
                    terminationGracePeriodSeconds: 10
                    containers:
                    - name: c
                      image: busybox
                      lifecycle:
                        postStart: {}
                        preStop:
                          sleep: {seconds: 20}
                          exec: {command: [cat]}
                    - name: d
                      image: busybox
                      lifecycle:
                        preStop: {sleep: {seconds: 5}}
                        postStart: {tcpSocket: {port: web}}
                    """)).containsExactly(
                    "spec.containers[0].lifecycle.postStart: must specify a handler: one of exec, httpGet, tcpSocket"
                            + " or sleep",
                    "spec.containers[0].lifecycle.preStop.sleep.seconds: invalid value 20: must not exceed"
                            + " terminationGracePeriodSeconds (10)",
                    "spec.containers[0].lifecycle.preStop: must specify exactly one handler, found exec, sleep",
                    "spec.containers[1].lifecycle.postStart.tcpSocket.port: no port named \"web\" in this"
                            + " container's ports");
        }
    }

    @Nested
    class Resources {

        @Test
        void acceptsTheResourcesBosunEnforces() {
            assertThat(problemsOfContainer("""
                    resources:
                      requests: {cpu: 250m, memory: 64Mi, ephemeral-storage: 1Gi}
                      limits: {cpu: 1, memory: 0.5Gi, hugepages-2Mi: 4Mi}
                    """)).isEmpty();
        }

        @Test
        void checksNamesAndQuantities() {
            assertThat(problemsOfContainer("""
                    resources:
                      limits: {cpu: lots, memory: -1Gi, nvidia.com/gpu: 1}
                      requests: {memory: 1e3x, hugepages-huge: 1}
                    """)).containsExactly(
                    "spec.containers[0].resources.limits[cpu]: invalid value \"lots\": " + Quantities.RULE,
                    "spec.containers[0].resources.limits[memory]: invalid value \"-1Gi\": must not be negative",
                    "spec.containers[0].resources.limits[nvidia.com/gpu]: unsupported resource \"nvidia.com/gpu\":"
                            + " Bosun supports cpu, memory, ephemeral-storage and hugepages-<page size>",
                    "spec.containers[0].resources.requests[memory]: invalid value \"1e3x\": " + Quantities.RULE,
                    "spec.containers[0].resources.requests[hugepages-huge]: unsupported resource"
                            + " \"hugepages-huge\": Bosun supports cpu, memory, ephemeral-storage and"
                            + " hugepages-<page size>");
        }

        @Test
        void requiresRequestsWithinLimits() {
            assertThat(problemsOfContainer("""
                    resources:
                      requests: {cpu: 1500m, memory: 1Gi, hugepages-1Gi: 1Gi}
                      limits: {cpu: "1", memory: 1024Mi, hugepages-1Gi: 2Gi}
                    """)).containsExactly(
                    "spec.containers[0].resources.requests[cpu]: must be less than or equal to the cpu limit (1)",
                    "spec.containers[0].resources.requests[hugepages-1Gi]: must equal the hugepages-1Gi limit"
                            + " (2Gi)");
        }

        @Test
        void rejectsClaims() {
            assertThat(problemsOfSpec("""
                    resourceClaims: [{name: gpu, resourceClaimName: gpu-claim}]
                    containers:
                    - {name: c, image: busybox, resources: {claims: [{name: gpu}]}}
                    """)).containsExactly(
                    "spec.containers[0].resources.claims: static pods may not reference API objects"
                            + " (resourceclaims)",
                    "spec.resourceClaims: static pods may not reference API objects (resourceclaims)");
        }
    }

    @Nested
    class Volumes {

        @Test
        void acceptsEmptyDirAndHostPath() {
            assertThat(problemsOfSpec("""
                    volumes:
                    - {name: scratch}
                    - {name: shm, emptyDir: {medium: Memory, sizeLimit: 64Mi}}
                    - {name: pages, emptyDir: {medium: HugePages-2Mi}}
                    - {name: logs, hostPath: {path: /var/log, type: Directory}}
                    containers:
                    - name: c
                      image: busybox
                      volumeMounts:
                      - {name: scratch, mountPath: /scratch}
                      - {name: shm, mountPath: /dev/shm}
                      - {name: logs, mountPath: /logs, subPath: pods, readOnly: true}
                      - {name: logs, mountPath: /host, mountPropagation: HostToContainer}
                    """)).isEmpty();
        }

        @Test
        void rejectsSourcesThatReadApiObjects() {
            assertThat(problemsOfSpec("""
                    volumes:
                    - {name: a, configMap: {name: settings}}
                    - {name: b, secret: {secretName: credentials}}
                    - {name: c, persistentVolumeClaim: {claimName: data}}
                    - name: d
                      projected:
                        sources:
                        - serviceAccountToken: {path: token}
                        - configMap: {name: settings}
                    - {name: e, csi: {driver: example.com}}
                    containers: [{name: c, image: busybox}]
                    """)).containsExactly(
                    "spec.volumes[0].configMap: static pods may not reference API objects (configmaps)",
                    "spec.volumes[1].secret: static pods may not reference API objects (secrets)",
                    "spec.volumes[2].persistentVolumeClaim: static pods may not reference API objects"
                            + " (persistentvolumeclaims)",
                    "spec.volumes[3].projected.sources[0].serviceAccountToken: static pods may not reference API"
                            + " objects (serviceaccounts (via projected volumes))",
                    "spec.volumes[3].projected.sources[1].configMap: static pods may not reference API objects"
                            + " (configmaps (via projected volumes))",
                    "spec.volumes[4].csi: static pods may not reference API objects (csidrivers)");
        }

        @Test
        void checksNamesSourcesAndHostPaths() {
            assertThat(problemsOfSpec("""
                    volumes:
                    - {name: data, emptyDir: {}}
                    - {name: data, emptyDir: {}}
                    - {name: Data_2, emptyDir: {}}
                    - {name: nfs, nfs: {server: nas, path: /export}}
                    - {name: both, emptyDir: {}, hostPath: {path: /tmp}}
                    - {name: rel, hostPath: {path: var/log}}
                    - {name: up, hostPath: {path: /var/../etc}}
                    - {name: kind, hostPath: {path: /run/x.sock, type: Pipe}}
                    - {name: disk, emptyDir: {medium: Disk, sizeLimit: huge}}
                    containers: [{name: c, image: busybox}]
                    """)).containsExactly(
                    "spec.volumes[1].name: duplicate volume name \"data\"",
                    "spec.volumes[2].name: invalid value \"Data_2\": " + Names.LABEL_RULE,
                    "spec.volumes[3].nfs: the nfs volume source is not supported by Bosun; use emptyDir or hostPath",
                    "spec.volumes[4]: must specify exactly one volume source, found emptyDir, hostPath",
                    "spec.volumes[5].hostPath.path: invalid value \"var/log\": must be an absolute path",
                    "spec.volumes[6].hostPath.path: invalid value \"/var/../etc\": must not contain '..'",
                    "spec.volumes[7].hostPath.type: unsupported value \"Pipe\": must be one of \"\", DirectoryOrCreate,"
                            + " Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice",
                    "spec.volumes[8].emptyDir.medium: unsupported value \"Disk\": must be one of \"\", Memory,"
                            + " HugePages, HugePages-<page size>",
                    "spec.volumes[8].emptyDir.sizeLimit: invalid value \"huge\": " + Quantities.RULE);
        }

        @Test
        void acceptsDownwardApiVolumesAndProjectionsAndChecksTheirItems() {
            assertThat(problemsOfSpec("""
                    volumes:
                    - name: info
                      downwardAPI:
                        items:
                        - {path: labels, fieldRef: {fieldPath: metadata.labels}}
                        - {path: zone, fieldRef: {fieldPath: "metadata.labels['zone']"}}
                        - {path: mem, resourceFieldRef: {containerName: c, resource: limits.memory, divisor: 1Mi}}
                    - name: proj
                      projected:
                        sources:
                        - downwardAPI: {items: [{path: ns, fieldRef: {fieldPath: metadata.namespace}}]}
                    containers: [{name: c, image: busybox}]
                    """)).isEmpty();
            assertThat(problemsOfSpec("""
                    volumes:
                    - name: info
                      downwardAPI:
                        items:
                        - {path: ../up, fieldRef: {fieldPath: spec.nodeName}}
                        - {path: x, resourceFieldRef: {resource: limits.gpu}}
                        - {path: y}
                    containers: [{name: c, image: busybox}]
                    """)).containsExactly(
                    "spec.volumes[0].downwardAPI.items[0].path: invalid value \"../up\": must be a relative path not"
                            + " containing or starting with '..'",
                    "spec.volumes[0].downwardAPI.items[0].fieldRef.fieldPath: unsupported value \"spec.nodeName\":"
                            + " must be one of metadata.name, metadata.namespace, metadata.uid, metadata.labels,"
                            + " metadata.annotations",
                    "spec.volumes[0].downwardAPI.items[1].resourceFieldRef.containerName: required",
                    "spec.volumes[0].downwardAPI.items[1].resourceFieldRef.resource: unsupported value \"limits.gpu\":"
                            + " must be one of limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu,"
                            + " requests.memory, requests.ephemeral-storage",
                    "spec.volumes[0].downwardAPI.items[2]: must specify one of fieldRef or resourceFieldRef");
        }

        @Test
        void checksVolumeMounts() {
            assertThat(problemsOfSpec("""
                    volumes: [{name: data}]
                    containers:
                    - name: c
                      image: busybox
                      volumeMounts:
                      - {name: data, mountPath: /data}
                      - {name: data, mountPath: /data}
                      - {name: cache, mountPath: /cache}
                      - {name: data, mountPath: relative}
                      - {name: data, mountPath: /sub, subPath: /abs}
                      - {name: data, mountPath: /up, subPath: a/../../b}
                      - {name: data, mountPath: /both, mountPropagation: Bidirectional}
                      - {mountPath: /none}
                    """)).containsExactly(
                    "spec.containers[0].volumeMounts[1].mountPath: duplicate mount path \"/data\" in this container",
                    "spec.containers[0].volumeMounts[2].name: no volume named \"cache\" in spec.volumes",
                    "spec.containers[0].volumeMounts[3].mountPath: invalid value \"relative\": must be an absolute"
                            + " path",
                    "spec.containers[0].volumeMounts[4].subPath: invalid value \"/abs\": must be a relative path"
                            + " without '..'",
                    "spec.containers[0].volumeMounts[5].subPath: invalid value \"a/../../b\": must be a relative"
                            + " path without '..'",
                    "spec.containers[0].volumeMounts[6].mountPropagation: Bidirectional requires a privileged"
                            + " container",
                    "spec.containers[0].volumeMounts[7].name: required");
        }

        @Test
        void checksSubPathExprAsTheApiserverDoes() {
            assertThat(problemsOfSpec("""
                    volumes: [{name: data}]
                    containers:
                    - name: c
                      image: busybox
                      env: [{name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
                      volumeMounts:
                      - {name: data, mountPath: /ok, subPathExpr: "logs/$(POD)"}
                      - {name: data, mountPath: /both, subPath: a, subPathExpr: "b/$(POD)"}
                      - {name: data, mountPath: /abs, subPathExpr: "/$(POD)"}
                      - {name: data, mountPath: /up, subPathExpr: "$(POD)/../.."}
                    """)).containsExactly(
                    "spec.containers[0].volumeMounts[1].subPathExpr: subPathExpr and subPath are mutually exclusive",
                    "spec.containers[0].volumeMounts[2].subPathExpr: invalid value \"/$(POD)\": must be a relative"
                            + " path without '..'",
                    "spec.containers[0].volumeMounts[3].subPathExpr: invalid value \"$(POD)/../..\": must be a"
                            + " relative path without '..'");
        }

        @Test
        void rejectsNulInEveryPathThatReachesTheHostOrTheRuntime() {
            assertThat(problemsOfSpec("""
                    volumes: [{name: data}, {name: host, hostPath: {path: "/var/log\\0/x"}}]
                    containers:
                    - name: c
                      image: busybox
                      workingDir: "/srv\\0"
                      terminationMessagePath: "/dev/termination-log\\0"
                      volumeMounts:
                      - {name: data, mountPath: "/data\\0"}
                      - {name: data, mountPath: /sub, subPath: "a\\0b"}
                      - {name: data, mountPath: /expr, subPathExpr: "a\\0b"}
                    """)).containsExactly(
                    "spec.volumes[1].hostPath.path: must not contain NUL characters",
                    "spec.containers[0].terminationMessagePath: must not contain NUL characters",
                    "spec.containers[0].workingDir: must not contain NUL characters",
                    "spec.containers[0].volumeMounts[0].mountPath: must not contain NUL characters",
                    "spec.containers[0].volumeMounts[1].subPath: must not contain NUL characters",
                    "spec.containers[0].volumeMounts[2].subPathExpr: must not contain NUL characters");
        }
    }

    @Nested
    class PodSettings {

        @Test
        void checksPoliciesAndTimes() {
            assertThat(problemsOfSpec("""
                    restartPolicy: Sometimes
                    dnsPolicy: Google
                    terminationGracePeriodSeconds: -1
                    activeDeadlineSeconds: 0
                    hostname: My_Host
                    containers: [{name: c, image: busybox}]
                    """)).containsExactly(
                    "spec.restartPolicy: unsupported value \"Sometimes\": must be one of Always, OnFailure, Never",
                    "spec.dnsPolicy: unsupported value \"Google\": must be one of ClusterFirst,"
                            + " ClusterFirstWithHostNet, Default, None",
                    "spec.terminationGracePeriodSeconds: invalid value -1: must not be negative",
                    "spec.activeDeadlineSeconds: invalid value 0: must be at least 1",
                    "spec.hostname: invalid value \"My_Host\": " + Names.LABEL_RULE);
        }

        @Test
        void requiresDnsConfigForDnsPolicyNone() {
            assertThat(problemsOfSpec("""
                    dnsPolicy: None
                    containers: [{name: c, image: busybox}]
                    """)).containsExactly("spec.dnsConfig: required when dnsPolicy is None");
            assertThat(problemsOfSpec("""
                    dnsPolicy: None
                    dnsConfig: {searches: [example.com]}
                    containers: [{name: c, image: busybox}]
                    """)).containsExactly(
                    "spec.dnsConfig.nameservers: must list at least one nameserver when dnsPolicy is None");
            assertThat(problemsOfSpec("""
                    dnsPolicy: None
                    dnsConfig:
                      nameservers: [1.1.1.1, "2606:4700:4700::1111", dns.example.com, 8.8.8.8]
                      options: [{name: ndots, value: "2"}, {value: "1"}]
                    containers: [{name: c, image: busybox}]
                    """)).containsExactly(
                    "spec.dnsConfig.nameservers: must list at most 3 nameservers",
                    "spec.dnsConfig.nameservers[2]: invalid value \"dns.example.com\": must be an IP address",
                    "spec.dnsConfig.options[1].name: required");
        }

        @Test
        void checksDnsSearchesAndOptionsThatGoIntoResolvConf() {
            assertThat(problemsOfSpec("""
                    dnsConfig:
                      searches: [svc.example.com, "example.org.", "evil.example\\nnameserver 6.6.6.6", Upper.Example]
                      options: [{name: ndots, value: "2"}, {name: "edns0\\nnameserver 6.6.6.6"},
                                {name: timeout, value: "1 attempts:9"}]
                    containers: [{name: c, image: busybox}]
                    """)).containsExactly(
                    "spec.dnsConfig.searches[2]: invalid value \"evil.example\\nnameserver 6.6.6.6\": "
                            + Names.SUBDOMAIN_RULE,
                    "spec.dnsConfig.searches[3]: invalid value \"Upper.Example\": " + Names.SUBDOMAIN_RULE,
                    "spec.dnsConfig.options[1].name: must not contain whitespace or control characters",
                    "spec.dnsConfig.options[2].value: must not contain whitespace or control characters");
        }

        @Test
        void limitsTheSearchListAsTheApiserverDoes() {
            String many = String.join(", ", java.util.Collections.nCopies(33, "a.example"));
            String longOnes = String.join(", ", java.util.Collections.nCopies(12, "x".repeat(63) + "."
                    + "y".repeat(63) + "." + "z".repeat(63) + ".example"));
            assertThat(problemsOfSpec("dnsConfig: {searches: [" + many + "]}\n"
                    + "containers: [{name: c, image: busybox}]"))
                    .containsExactly("spec.dnsConfig.searches: must list at most 32 search domains");
            assertThat(problemsOfSpec("dnsConfig: {searches: [" + longOnes + "]}\n"
                    + "containers: [{name: c, image: busybox}]"))
                    .containsExactly("spec.dnsConfig.searches: too long: 2399 characters including the spaces"
                            + " between domains, must be at most 2048");
        }

        @Test
        void checksHostAliasesThatGoIntoEtcHosts() {
            assertThat(problemsOfSpec("""
                    hostAliases:
                    - {ip: 10.0.0.5, hostnames: [db, db.example.com]}
                    - {ip: "fd00::5", hostnames: [cache]}
                    - {ip: "10.0.0.6\\n6.6.6.6", hostnames: [x]}
                    - {ip: db.example.com, hostnames: ["evil\\tlocalhost", Upper]}
                    - {hostnames: [y]}
                    containers: [{name: c, image: busybox}]
                    """)).containsExactly(
                    "spec.hostAliases[2].ip: invalid value \"10.0.0.6\\n6.6.6.6\": must be an IP address",
                    "spec.hostAliases[3].ip: invalid value \"db.example.com\": must be an IP address",
                    "spec.hostAliases[3].hostnames[0]: invalid value \"evil\\tlocalhost\": " + Names.SUBDOMAIN_RULE,
                    "spec.hostAliases[3].hostnames[1]: invalid value \"Upper\": " + Names.SUBDOMAIN_RULE,
                    "spec.hostAliases[4].ip: required");
        }

        @Test
        void rejectsServiceAccountsAndPullSecrets() {
            assertThat(problemsOfSpec("""
                    serviceAccountName: builder
                    imagePullSecrets: [{name: registry}]
                    containers: [{name: c, image: busybox}]
                    """)).containsExactly(
                    "spec.serviceAccountName: static pods may not reference API objects (serviceaccounts)",
                    "spec.imagePullSecrets: static pods may not reference API objects (secrets)");
            assertThat(problemsOfSpec("""
                    serviceAccount: builder
                    containers: [{name: c, image: busybox}]
                    """)).containsExactly(
                    "spec.serviceAccount: static pods may not reference API objects (serviceaccounts)");
        }

        @Test
        void rejectsPodLevelResources() {
            assertThat(problemsOfSpec("""
                    resources: {limits: {cpu: "1"}}
                    containers: [{name: c, image: busybox}]
                    """)).containsExactly("spec.resources: pod-level resources is not supported by Bosun");
        }
    }
}
