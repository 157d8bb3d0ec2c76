package io.bosun.agent.metrics;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * client-go's {@code rest_client_requests_total}, counted by an interceptor on the apiserver client: every response
 * by status code, method and apiserver host, and every attempt that got no response as {@code <error>} (an error's
 * text would make the label unbounded). fabric8 tells interceptors of a connection failure only when it decides
 * whether to retry, so the last attempt of a request that ran out of retries goes uncounted.
 */
public final class RestClientMetrics implements Interceptor {

    private final Counter requests;

    RestClientMetrics(PrometheusRegistry registry) {
        requests = Counter.builder().withoutExemplars().name("rest_client_requests_total")
                .help("[ALPHA] Number of HTTP requests, partitioned by status code, method, and host.")
                .labelNames("code", "method", "host").register(registry);
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        requests.labelValues(Integer.toString(response.code()), request.method(), host(request.uri())).inc();
    }

    @Override
    public void afterConnectionFailure(HttpRequest request, Throwable failure) {
        requests.labelValues("<error>", request.method(), host(request.uri())).inc();
    }

    /** Go's {@code url.Host}: the host, and the port when the URL names one. */
    static String host(URI uri) {
        if (uri.getHost() == null) {
            return "none";
        }
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }
}
