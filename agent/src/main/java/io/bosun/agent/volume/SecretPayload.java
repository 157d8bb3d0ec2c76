package io.bosun.agent.volume;

import io.bosun.agent.volume.AtomicWriter.FileProjection;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a secret volume or projection, as the kubelet's secret MakePayload: every key of data, or only the
 * {@code items} asked for; a key an item names that the secret lacks is skipped when the volume is optional, an error
 * otherwise.
 */
final class SecretPayload {

    private SecretPayload() {
    }

    static Map<String, FileProjection> make(List<KeyToPath> items, Secret secret, int defaultMode, boolean optional)
            throws VolumeException {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        Map<String, FileProjection> payload = new HashMap<>();
        if (items == null || items.isEmpty()) {
            for (var e : data.entrySet()) {
                payload.put(e.getKey(), new FileProjection(ConfigMapPayload.decode(e.getKey(), e.getValue()),
                        defaultMode));
            }
            return payload;
        }
        for (KeyToPath item : items) {
            if (!data.containsKey(item.getKey())) {
                if (optional) {
                    continue;
                }
                throw new VolumeException("references non-existent secret key: " + item.getKey());
            }
            payload.put(item.getPath(), new FileProjection(ConfigMapPayload.decode(item.getKey(),
                    data.get(item.getKey())), item.getMode() != null ? item.getMode() : defaultMode));
        }
        return payload;
    }
}
