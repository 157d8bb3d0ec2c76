package io.bosun.agent.metrics;

import io.bosun.agent.images.ImageGcObserver;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The kubelet's {@code kubelet_image_garbage_collected_total}, by reason ({@code age} or {@code space}). */
final class ImageGcMetrics implements ImageGcObserver {

    private final Counter collected;

    ImageGcMetrics(PrometheusRegistry registry) {
        collected = Counter.builder().withoutExemplars().name("kubelet_image_garbage_collected_total")
                .help("[ALPHA] Total number of images garbage collected by the kubelet, whether through disk usage "
                        + "or image age.")
                .labelNames("reason").register(registry);
    }

    @Override
    public void collected(String reason) {
        collected.labelValues(reason).inc();
    }
}
