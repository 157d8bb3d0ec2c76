package io.bosun.agent.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarSourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvResolverTest {

    private static final EnvNode NODE = new EnvNode(List.of("192.0.2.10", "2001:db8::10"),
            Map.of("cpu", new Quantity("3800m"), "memory", new Quantity("7Gi"),
                    "ephemeral-storage", new Quantity("90Gi")));
    private static final List<String> POD_IPS = List.of("10.88.0.5", "fd00::5");

    private final Map<String, Optional<ConfigMap>> configMaps = new LinkedHashMap<>();
    private final Map<String, Optional<Secret>> secrets = new LinkedHashMap<>();
    private final List<Service> services = new java.util.ArrayList<>();

    private static Pod pod(Container c) {
        return new PodBuilder().withNewMetadata().withName("web-1").withNamespace("shop").withUid("u-1")
                .addToLabels("app", "web").addToLabels("tier", "front")
                .addToAnnotations("note", "say \"hi\"\n").endMetadata()
                .withNewSpec().withNodeName("n1").withServiceAccountName("web").addToContainers(c)
                .addNewContainer().withName("side").withNewResources().addToLimits("memory", new Quantity("64Mi"))
                .endResources().endContainer().endSpec().build();
    }

    private static ContainerBuilder web() {
        return new ContainerBuilder().withName("web").withImage("nginx:1.27");
    }

    private EnvObjects objects() {
        return new EnvObjects(configMaps, secrets, services);
    }

    private ResolvedEnv resolve(Container c) throws ContainerConfigException {
        return EnvResolver.resolve(pod(c), c, POD_IPS, objects(), NODE);
    }

    private Map<String, String> env(Container c) throws ContainerConfigException {
        return resolve(c).vars();
    }

    private void configMap(String name, Map<String, String> data) {
        configMaps.put(name, Optional.of(new ConfigMapBuilder().withNewMetadata().withName(name)
                .withNamespace("shop").endMetadata().withData(data).build()));
    }

    private void secret(String name, Map<String, String> plain) {
        Map<String, String> data = new LinkedHashMap<>();
        plain.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        secrets.put(name, Optional.of(new SecretBuilder().withNewMetadata().withName(name).withNamespace("shop")
                .endMetadata().withData(data).build()));
    }

    private void service(String namespace, String name, String clusterIP, int port) {
        services.add(new ServiceBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withClusterIP(clusterIP).addNewPort().withPort(port).endPort().endSpec().build());
    }

    private static Container field(String name, String path) {
        return web().addNewEnv().withName(name).withValueFrom(new EnvVarSourceBuilder().withNewFieldRef()
                .withFieldPath(path).endFieldRef().build()).endEnv().build();
    }

    private static Container resource(String resource, String divisor, String containerName) {
        var ref = new EnvVarSourceBuilder().withNewResourceFieldRef().withResource(resource)
                .withContainerName(containerName).withDivisor(divisor == null ? null : new Quantity(divisor))
                .endResourceFieldRef().build();
        return web().withNewResources().addToLimits("cpu", new Quantity("250m"))
                .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("100M"))
                .endResources().addNewEnv().withName("R").withValueFrom(ref).endEnv().build();
    }

    // Plain values and expansion

    @Test
    void valuesAreExpandedAgainstWhatIsDefinedBeforeThem() throws Exception {
        Container c = web().addNewEnv().withName("A").withValue("one").endEnv()
                .addNewEnv().withName("B").withValue("$(A)-two $(LATER) $$(A)").endEnv()
                .addNewEnv().withName("LATER").withValue("three").endEnv()
                .addNewEnv().withName("EMPTY").withValue("").endEnv().build();

        assertThat(env(c)).containsExactly(entry("A", "one"), entry("B", "one-two $(LATER) $(A)"),
                entry("LATER", "three"), entry("EMPTY", ""));
    }

    @Test
    void aLaterDefinitionOfANameWinsAndKeepsItsPlace() throws Exception {
        Container c = web().addNewEnv().withName("A").withValue("1").endEnv()
                .addNewEnv().withName("B").withValue("2").endEnv()
                .addNewEnv().withName("A").withValue("3").endEnv().build();

        assertThat(env(c)).containsExactly(entry("A", "3"), entry("B", "2"));
    }

    // envFrom

    @Test
    void envFromAddsEveryKeyWithItsPrefixAndEnvOverridesIt() throws Exception {
        configMap("settings", Map.of("COLOR", "blue", "SIZE", "L"));
        secret("creds", Map.of("TOKEN", "s3cr3t"));
        Container c = web().addNewEnvFrom().withNewConfigMapRef().withName("settings").endConfigMapRef()
                .withPrefix("APP_").endEnvFrom()
                .addNewEnvFrom().withNewSecretRef().withName("creds").endSecretRef().endEnvFrom()
                .addNewEnv().withName("APP_SIZE").withValue("XL from $(APP_COLOR)").endEnv().build();

        assertThat(env(c)).containsExactly(entry("APP_COLOR", "blue"), entry("APP_SIZE", "XL from blue"),
                entry("TOKEN", "s3cr3t"));
    }

    @Test
    void aLaterEnvFromSourceOverridesAnEarlierOne() throws Exception {
        configMap("a", Map.of("X", "from-a"));
        configMap("b", Map.of("X", "from-b"));
        Container c = web().addNewEnvFrom().withNewConfigMapRef().withName("a").endConfigMapRef().endEnvFrom()
                .addNewEnvFrom().withNewConfigMapRef().withName("b").endConfigMapRef().endEnvFrom().build();

        assertThat(env(c)).containsExactly(entry("X", "from-b"));
    }

    @Test
    void keysThatAreNoVariableNamesAreSkippedWithTheKubeletsWarning() throws Exception {
        configMap("myconfig", Map.of("1badkey", "x", "2alsobad", "y", "good.key-1", "z", "..dots", "w"));
        secret("mysecret", Map.of("bad key", "x"));
        Container c = web().addNewEnvFrom().withNewConfigMapRef().withName("myconfig").endConfigMapRef()
                .endEnvFrom().addNewEnvFrom().withNewSecretRef().withName("mysecret").endSecretRef().endEnvFrom()
                .build();

        ResolvedEnv env = resolve(c);

        assertThat(env.vars()).containsExactly(entry("good.key-1", "z"));
        assertThat(env.invalidNameWarnings()).containsExactly(
                "Keys [..dots, 1badkey, 2alsobad] from the EnvFrom configMap shop/myconfig were skipped since they "
                        + "are considered invalid environment variable names.",
                "Keys [bad key] from the EnvFrom secret shop/mysecret were skipped since they are considered "
                        + "invalid environment variable names.");
    }

    @Test
    void aPrefixCanMakeAKeyValid() throws Exception {
        configMap("myconfig", Map.of("1234", "abc"));
        Container c = web().addNewEnvFrom().withNewConfigMapRef().withName("myconfig").endConfigMapRef()
                .withPrefix("p_").endEnvFrom().build();

        assertThat(resolve(c).vars()).containsExactly(entry("p_1234", "abc"));
        assertThat(resolve(c).invalidNameWarnings()).isEmpty();
    }

    @Test
    void aMissingEnvFromSourceFailsUnlessOptional() throws Exception {
        configMaps.put("gone", Optional.empty());
        secrets.put("gone", Optional.empty());
        Container required = web().addNewEnvFrom().withNewConfigMapRef().withName("gone").endConfigMapRef()
                .endEnvFrom().build();
        Container requiredSecret = web().addNewEnvFrom().withNewSecretRef().withName("gone").endSecretRef()
                .endEnvFrom().build();
        Container optional = web().addNewEnvFrom().withNewConfigMapRef().withName("gone").withOptional(true)
                .endConfigMapRef().endEnvFrom().addNewEnvFrom().withNewSecretRef().withName("gone")
                .withOptional(true).endSecretRef().endEnvFrom().build();

        assertThatThrownBy(() -> resolve(required)).isInstanceOf(ContainerConfigException.class)
                .hasMessage("configmap \"gone\" not found");
        assertThatThrownBy(() -> resolve(requiredSecret)).isInstanceOf(ContainerConfigException.class)
                .hasMessage("secret \"gone\" not found");
        assertThat(env(optional)).isEmpty();
    }

    // configMapKeyRef and secretKeyRef

    @Test
    void keyRefsTakeOneKey() throws Exception {
        configMap("settings", Map.of("color", "blue"));
        secret("creds", Map.of("password", "hunter2"));
        Container c = web().addNewEnv().withName("COLOR").withNewValueFrom().withNewConfigMapKeyRef()
                .withName("settings").withKey("color").endConfigMapKeyRef().endValueFrom().endEnv()
                .addNewEnv().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef().withName("creds")
                .withKey("password").endSecretKeyRef().endValueFrom().endEnv().build();

        assertThat(env(c)).containsExactly(entry("COLOR", "blue"), entry("PASSWORD", "hunter2"));
    }

    @Test
    void aMissingKeyOrObjectFailsWithTheKubeletsMessage() {
        configMap("settings", Map.of("color", "blue"));
        secret("creds", Map.of());
        configMaps.put("gone", Optional.empty());
        secrets.put("gone", Optional.empty());

        assertThatThrownBy(() -> resolve(web().addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef()
                .withName("settings").withKey("size").endConfigMapKeyRef().endValueFrom().endEnv().build()))
                .hasMessage("couldn't find key size in ConfigMap shop/settings");
        assertThatThrownBy(() -> resolve(web().addNewEnv().withName("X").withNewValueFrom().withNewSecretKeyRef()
                .withName("creds").withKey("password").endSecretKeyRef().endValueFrom().endEnv().build()))
                .hasMessage("couldn't find key password in Secret shop/creds");
        assertThatThrownBy(() -> resolve(web().addNewEnv().withName("X").withNewValueFrom().withNewConfigMapKeyRef()
                .withName("gone").withKey("k").endConfigMapKeyRef().endValueFrom().endEnv().build()))
                .hasMessage("configmap \"gone\" not found");
        assertThatThrownBy(() -> resolve(web().addNewEnv().withName("X").withNewValueFrom().withNewSecretKeyRef()
                .withName("gone").withKey("k").endSecretKeyRef().endValueFrom().endEnv().build()))
                .hasMessage("secret \"gone\" not found");
    }

    @Test
    void anOptionalKeyRefThatIsMissingDefinesNothing() throws Exception {
        configMap("settings", Map.of("color", "blue"));
        secrets.put("gone", Optional.empty());
        Container c = web().addNewEnv().withName("SIZE").withValue("default").endEnv()
                .addNewEnv().withName("SIZE").withNewValueFrom().withNewConfigMapKeyRef().withName("settings")
                .withKey("size").withOptional(true).endConfigMapKeyRef().endValueFrom().endEnv()
                .addNewEnv().withName("TOKEN").withNewValueFrom().withNewSecretKeyRef().withName("gone")
                .withKey("token").withOptional(true).endSecretKeyRef().endValueFrom().endEnv().build();

        assertThat(env(c)).containsExactly(entry("SIZE", "default"));
    }

    // Service links

    @Test
    void serviceLinksComeLastAndAreOverriddenByTheContainersOwnVariables() throws Exception {
        service("default", "kubernetes", "10.96.0.1", 443);
        service("shop", "cart", "10.96.3.4", 80);
        Container c = web().addNewEnv().withName("CART_SERVICE_PORT").withValue("8080").endEnv()
                .addNewEnv().withName("API").withValue("$(KUBERNETES_SERVICE_HOST)").endEnv().build();

        Map<String, String> env = env(c);

        assertThat(env).containsEntry("CART_SERVICE_PORT", "8080").containsEntry("API", "10.96.0.1")
                .containsEntry("CART_SERVICE_HOST", "10.96.3.4").containsEntry("KUBERNETES_SERVICE_PORT", "443");
        assertThat(env.keySet()).startsWith("CART_SERVICE_PORT", "API");
    }

    @Test
    void withoutServiceLinksOnlyTheMasterServiceIsThere() throws Exception {
        service("default", "kubernetes", "10.96.0.1", 443);
        service("shop", "cart", "10.96.3.4", 80);
        Container c = web().build();
        Pod pod = new PodBuilder(pod(c)).editSpec().withEnableServiceLinks(false).endSpec().build();

        Map<String, String> env = EnvResolver.resolve(pod, c, POD_IPS, objects(), NODE).vars();

        assertThat(env).containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1")
                .doesNotContainKey("CART_SERVICE_HOST");
    }

    // fieldRef

    @Test
    void fieldRefsReadThePodAndTheNode() throws Exception {
        assertThat(env(field("V", "metadata.name"))).containsEntry("V", "web-1");
        assertThat(env(field("V", "metadata.namespace"))).containsEntry("V", "shop");
        assertThat(env(field("V", "metadata.uid"))).containsEntry("V", "u-1");
        assertThat(env(field("V", "spec.nodeName"))).containsEntry("V", "n1");
        assertThat(env(field("V", "spec.host"))).containsEntry("V", "n1");
        assertThat(env(field("V", "spec.serviceAccountName"))).containsEntry("V", "web");
        assertThat(env(field("V", "status.hostIP"))).containsEntry("V", "192.0.2.10");
        assertThat(env(field("V", "status.hostIPs"))).containsEntry("V", "192.0.2.10,2001:db8::10");
        assertThat(env(field("V", "status.podIP"))).containsEntry("V", "10.88.0.5");
        assertThat(env(field("V", "status.podIPs"))).containsEntry("V", "10.88.0.5,fd00::5");
        assertThat(env(field("V", "metadata.labels['app']"))).containsEntry("V", "web");
        assertThat(env(field("V", "metadata.labels['absent']"))).containsEntry("V", "");
        assertThat(env(field("V", "metadata.annotations['note']"))).containsEntry("V", "say \"hi\"\n");
    }

    @Test
    void wholeLabelsAndAnnotationsAreGoFormattedLines() throws Exception {
        assertThat(env(field("V", "metadata.labels"))).containsEntry("V", "app=\"web\"\ntier=\"front\"");
        assertThat(env(field("V", "metadata.annotations"))).containsEntry("V", "note=\"say \\\"hi\\\"\\n\"");
    }

    @Test
    void aPodWithoutAnIpYetHasEmptyPodIps() throws Exception {
        Container c = field("V", "status.podIP");
        assertThat(EnvResolver.resolve(pod(c), c, List.of(), objects(), NODE).vars()).containsEntry("V", "");
    }

    @Test
    void fieldRefsTheKubeletRefusesAreConfigErrors() {
        assertThatThrownBy(() -> resolve(field("V", "spec.restartPolicy")))
                .isInstanceOf(ContainerConfigException.class).hasMessage("unsupported fieldPath: spec.restartPolicy");
        assertThatThrownBy(() -> resolve(field("V", "spec.containers")))
                .hasMessage("field label not supported: spec.containers");
        assertThatThrownBy(() -> resolve(field("V", "spec.nodeName['x']")))
                .hasMessage("field label does not support subscript: spec.nodeName['x']");
        assertThatThrownBy(() -> resolve(field("V", "metadata.labels['bad key']")))
                .hasMessageStartingWith("invalid key subscript in metadata.labels['bad key']");
        Container v2 = web().addNewEnv().withName("V").withNewValueFrom().withNewFieldRef().withApiVersion("v2")
                .withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv().build();
        assertThatThrownBy(() -> resolve(v2)).hasMessage("unsupported pod version: v2");
    }

    // resourceFieldRef

    @Test
    void resourceFieldRefsAreDividedAndRoundedUp() throws Exception {
        assertThat(env(resource("limits.cpu", null, null))).containsEntry("R", "1");
        assertThat(env(resource("limits.cpu", "1m", null))).containsEntry("R", "250");
        assertThat(env(resource("requests.cpu", "1m", null))).containsEntry("R", "100");
        assertThat(env(resource("requests.memory", null, null))).containsEntry("R", "100000000");
        assertThat(env(resource("requests.memory", "1Mi", null))).containsEntry("R", "96");
        assertThat(env(resource("requests.ephemeral-storage", null, null))).containsEntry("R", "0");
        assertThat(env(resource("limits.cpu", "0", null))).containsEntry("R", "1");
    }

    @Test
    void anUnsetLimitIsTheNodesAllocatable() throws Exception {
        assertThat(env(resource("limits.memory", "1Mi", null))).containsEntry("R", Long.toString(7 * 1024));
        assertThat(env(resource("limits.ephemeral-storage", "1Gi", null))).containsEntry("R", "90");
        assertThat(env(resource("limits.cpu", "1m", "side"))).containsEntry("R", "3800");
        assertThat(env(resource("limits.memory", "1Mi", "side"))).containsEntry("R", "64");
    }

    @Test
    void unknownResourcesAndContainersAreConfigErrors() {
        assertThatThrownBy(() -> resolve(resource("limits.gpu", null, null)))
                .hasMessage("unsupported container resource : limits.gpu");
        assertThatThrownBy(() -> resolve(resource("limits.cpu", null, "nope")))
                .hasMessage("container nope not found");
    }
}
