package io.bosun.agent.images;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.bosun.agent.Json;
import java.util.Map;
import java.util.Optional;

/**
 * The image the runtime runs sandboxes from, as its verbose status names it: containerd's {@code config} document
 * carries {@code sandboxImage}. The kubelet keeps that image from collection (it is deprecating its own
 * {@code --pod-infra-container-image} for what the runtime says); runtimes that pin it need no name.
 */
final class SandboxImage {

    private SandboxImage() {
    }

    static Optional<String> name(Map<String, String> statusInfo) {
        String config = statusInfo.get("config");
        if (config == null) {
            return Optional.empty();
        }
        try {
            JsonNode image = Json.MAPPER.readTree(config).path("sandboxImage");
            return image.isTextual() && !image.asText().isEmpty() ? Optional.of(image.asText()) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
