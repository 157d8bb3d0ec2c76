package io.bosun.agent.volume;

import io.bosun.agent.volume.AtomicWriter.FileProjection;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KeyToPath;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a configMap volume or projection, as the kubelet's configmap MakePayload: every key of data and
 * binaryData, or only the {@code items} asked for (each with its own path and mode); a key an item names that the
 * configMap lacks is skipped when the volume is optional, an error otherwise.
 */
final class ConfigMapPayload {

    private ConfigMapPayload() {
    }

    static Map<String, FileProjection> make(List<KeyToPath> items, ConfigMap configMap, int defaultMode,
                                            boolean optional) throws VolumeException {
        Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
        Map<String, String> binary = configMap.getBinaryData() == null ? Map.of() : configMap.getBinaryData();
        Map<String, FileProjection> payload = new HashMap<>();
        if (items == null || items.isEmpty()) {
            data.forEach((k, v) -> payload.put(k, new FileProjection(v.getBytes(StandardCharsets.UTF_8),
                    defaultMode)));
            for (var e : binary.entrySet()) {
                payload.put(e.getKey(), new FileProjection(decode(e.getKey(), e.getValue()), defaultMode));
            }
            return payload;
        }
        for (KeyToPath item : items) {
            byte[] content;
            if (data.containsKey(item.getKey())) {
                content = data.get(item.getKey()).getBytes(StandardCharsets.UTF_8);
            } else if (binary.containsKey(item.getKey())) {
                content = decode(item.getKey(), binary.get(item.getKey()));
            } else if (optional) {
                continue;
            } else {
                throw new VolumeException("configmap references non-existent config key: " + item.getKey());
            }
            payload.put(item.getPath(), new FileProjection(content, item.getMode() != null ? item.getMode()
                    : defaultMode));
        }
        return payload;
    }

    static byte[] decode(String key, String base64) throws VolumeException {
        try {
            return Base64.getDecoder().decode(base64 == null ? "" : base64);
        } catch (IllegalArgumentException e) {
            throw new VolumeException("key " + key + " does not hold base64 data: " + e.getMessage());
        }
    }
}
