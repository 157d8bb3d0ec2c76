package io.bosun.agent.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceLinksTest {

    private static Service service(String namespace, String name, String clusterIP,
                                   io.fabric8.kubernetes.api.model.ServicePort... ports) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withClusterIP(clusterIP).withPorts(ports).endSpec().build();
    }

    private static io.fabric8.kubernetes.api.model.ServicePort port(String name, int port, String protocol) {
        return new ServicePortBuilder().withName(name).withPort(port).withProtocol(protocol).build();
    }

    @Test
    void aServiceMakesTheKubeletsAndDockersVariables() {
        var env = ServiceLinks.of(List.of(service("shop", "redis-primary", "10.0.0.11",
                port(null, 6379, null), port("metrics", 9121, "UDP"))), "shop", true);

        assertThat(env).containsExactly(
                entry("REDIS_PRIMARY_SERVICE_HOST", "10.0.0.11"),
                entry("REDIS_PRIMARY_SERVICE_PORT", "6379"),
                entry("REDIS_PRIMARY_SERVICE_PORT_METRICS", "9121"),
                entry("REDIS_PRIMARY_PORT", "tcp://10.0.0.11:6379"),
                entry("REDIS_PRIMARY_PORT_6379_TCP", "tcp://10.0.0.11:6379"),
                entry("REDIS_PRIMARY_PORT_6379_TCP_PROTO", "tcp"),
                entry("REDIS_PRIMARY_PORT_6379_TCP_PORT", "6379"),
                entry("REDIS_PRIMARY_PORT_6379_TCP_ADDR", "10.0.0.11"),
                entry("REDIS_PRIMARY_PORT_9121_UDP", "udp://10.0.0.11:9121"),
                entry("REDIS_PRIMARY_PORT_9121_UDP_PROTO", "udp"),
                entry("REDIS_PRIMARY_PORT_9121_UDP_PORT", "9121"),
                entry("REDIS_PRIMARY_PORT_9121_UDP_ADDR", "10.0.0.11"));
    }

    @Test
    void anIpv6ClusterIpIsBracketedInUrls() {
        var env = ServiceLinks.of(List.of(service("shop", "web", "fd00::1", port("http", 80, "TCP"))), "shop", true);

        assertThat(env).containsEntry("WEB_PORT", "tcp://[fd00::1]:80").containsEntry("WEB_SERVICE_HOST", "fd00::1");
    }

    @Test
    void onlyTheMasterServiceOutsideThePodsNamespaceAndHeadlessOnesNever() {
        var env = ServiceLinks.of(List.of(
                service("default", "kubernetes", "10.96.0.1", port("https", 443, "TCP")),
                service("default", "other", "10.96.0.9", port(null, 80, "TCP")),
                service("elsewhere", "db", "10.96.0.7", port(null, 5432, "TCP")),
                service("shop", "headless", "None", port(null, 80, "TCP")),
                service("shop", "unset", "", port(null, 80, "TCP"))), "shop", true);

        assertThat(env.keySet()).allMatch(k -> k.startsWith("KUBERNETES_"));
        assertThat(env).containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1")
                .containsEntry("KUBERNETES_SERVICE_PORT_HTTPS", "443");
    }

    @Test
    void theMasterServiceIsThereWithoutServiceLinksAndAServiceOfTheSameNameInTheNamespaceHidesIt() {
        Service master = service("default", "kubernetes", "10.96.0.1", port(null, 443, "TCP"));
        Service local = service("shop", "kubernetes", "10.96.5.5", port(null, 8443, "TCP"));

        assertThat(ServiceLinks.of(List.of(master, local), "shop", false))
                .containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1");
        assertThat(ServiceLinks.of(List.of(master, local), "shop", true))
                .containsEntry("KUBERNETES_SERVICE_HOST", "10.96.5.5");
        assertThat(ServiceLinks.of(List.of(local, master), "shop", true))
                .containsEntry("KUBERNETES_SERVICE_HOST", "10.96.5.5");
    }
}
