package io.bosun.agent.kuberuntime;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedMap;
import java.util.TreeMap;

/**
 * The kubelet's service-link variables (getServiceEnvVarMap and envvars.FromServices): for the master service
 * {@code default/kubernetes} always, and for every service of the pod's namespace when enableServiceLinks is on,
 * {@code <NAME>_SERVICE_HOST}, {@code <NAME>_SERVICE_PORT[_<PORT NAME>]} and the Docker-link {@code <NAME>_PORT*}
 * variables. Services without a cluster IP (headless, ExternalName) make none.
 */
final class ServiceLinks {

    private static final String MASTER_NAMESPACE = "default";
    private static final String MASTER_SERVICE = "kubernetes";

    private ServiceLinks() {
    }

    static SequencedMap<String, String> of(List<Service> services, String namespace, boolean enableServiceLinks) {
        // By name: a service of the pod's own namespace called "kubernetes" hides the master service.
        Map<String, Service> byName = new TreeMap<>();
        for (Service s : services) {
            if (!hasClusterIP(s)) {
                continue;
            }
            String ns = s.getMetadata().getNamespace();
            String name = s.getMetadata().getName();
            if (MASTER_NAMESPACE.equals(ns) && MASTER_SERVICE.equals(name)) {
                byName.putIfAbsent(name, s);
            } else if (namespace.equals(ns) && enableServiceLinks) {
                byName.put(name, s);
            }
        }
        SequencedMap<String, String> env = new LinkedHashMap<>();
        byName.values().forEach(s -> add(s, env));
        return env;
    }

    private static boolean hasClusterIP(Service s) {
        String ip = s.getSpec() == null ? null : s.getSpec().getClusterIP();
        return ip != null && !ip.isEmpty() && !ip.equals("None")
                && s.getSpec().getPorts() != null && !s.getSpec().getPorts().isEmpty();
    }

    private static void add(Service s, Map<String, String> env) {
        String prefix = variableName(s.getMetadata().getName());
        String ip = s.getSpec().getClusterIP();
        List<ServicePort> ports = s.getSpec().getPorts();
        env.put(prefix + "_SERVICE_HOST", ip);
        env.put(prefix + "_SERVICE_PORT", Integer.toString(ports.getFirst().getPort()));
        for (ServicePort p : ports) {
            if (p.getName() != null && !p.getName().isEmpty()) {
                env.put(prefix + "_SERVICE_PORT_" + variableName(p.getName()), Integer.toString(p.getPort()));
            }
        }
        for (int i = 0; i < ports.size(); i++) {
            ServicePort p = ports.get(i);
            String protocol = p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
            String lower = protocol.toLowerCase(Locale.ROOT);
            String url = lower + "://" + hostPort(ip, p.getPort());
            if (i == 0) {
                env.put(prefix + "_PORT", url);
            }
            String portPrefix = prefix + "_PORT_" + p.getPort() + "_" + protocol.toUpperCase(Locale.ROOT);
            env.put(portPrefix, url);
            env.put(portPrefix + "_PROTO", lower);
            env.put(portPrefix + "_PORT", Integer.toString(p.getPort()));
            env.put(portPrefix + "_ADDR", ip);
        }
    }

    private static String hostPort(String ip, int port) {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }

    private static String variableName(String name) {
        return name.replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
