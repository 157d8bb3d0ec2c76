package io.bosun.agent.nodeapi;

import io.bosun.agent.node.HostFacts;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /spec/}: the machine as cAdvisor's {@code MachineInfo} describes it to the kubelet's callers (the fields
 * they read: cores, memory, identity), read once, since none of it changes while the machine is up.
 */
public final class MachineSpec {

    private MachineSpec() {
    }

    public static Map<String, Object> read() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("num_cores", HostFacts.cpuCount());
        spec.put("memory_capacity", HostFacts.machineMemoryBytes());
        spec.put("machine_id", HostFacts.machineId());
        spec.put("system_uuid", HostFacts.systemUuid());
        spec.put("boot_id", HostFacts.bootId());
        spec.put("cloud_provider", "Unknown");
        spec.put("instance_type", "Unknown");
        spec.put("instance_id", "None");
        return spec;
    }
}
