package io.bosun.agent.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The request an httpGet handler makes, built as the kubelet's NewRequestForHTTPGetAction does: scheme (HTTP by
 * default), host (the pod's IP by default), the port by number or by the container's port name, the path with any
 * query, the handler's headers, and User-Agent and Accept defaults that the handler's headers may override (an empty
 * Accept removes it).
 */
record HttpGetRequest(URI url, List<HttpGetter.Header> headers) {

    static HttpGetRequest of(HTTPGetAction action, Container container, String podIP, String userAgent)
            throws ProbeException {
        String scheme = action.getScheme() == null || action.getScheme().isEmpty()
                ? "http" : action.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ProbeException("unsupported scheme " + Texts.quote(action.getScheme()));
        }
        String host = action.getHost() != null && !action.getHost().isEmpty() ? action.getHost() : podIP;
        if (host == null || host.isEmpty()) {
            throw new ProbeException("the pod has no IP address yet");
        }
        int port = ContainerPorts.resolve(action.getPort(), container);
        return new HttpGetRequest(url(scheme, host, port, action.getPath()), headers(action.getHttpHeaders(),
                userAgent));
    }

    private static URI url(String scheme, String host, int port, String path) throws ProbeException {
        String p = path == null ? "" : path;
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        String hostPort = NetErrors.hostPort(host, port);
        URI url;
        try {
            // Kept as written when it is a valid URI, so that percent-escapes are sent as they are.
            url = new URI(scheme + "://" + hostPort + p);
        } catch (URISyntaxException e) {
            int q = p.indexOf('?');
            try {
                url = new URI(scheme, null, host, port, q >= 0 ? p.substring(0, q) : p,
                        q >= 0 ? p.substring(q + 1) : null, null);
            } catch (URISyntaxException e2) {
                throw new ProbeException("invalid URL for path " + Texts.quote(path) + ": " + e2.getMessage());
            }
        }
        if (url.getHost() == null) {
            throw new ProbeException("invalid host " + Texts.quote(host));
        }
        return url;
    }

    private static List<HttpGetter.Header> headers(List<HTTPHeader> spec, String userAgent) {
        List<HttpGetter.Header> headers = new ArrayList<>();
        boolean userAgentSet = false;
        boolean acceptSet = false;
        if (spec != null) {
            for (HTTPHeader h : spec) {
                if (h.getName() == null || h.getName().isEmpty()) {
                    continue;
                }
                String value = h.getValue() == null ? "" : h.getValue();
                userAgentSet |= h.getName().equalsIgnoreCase("User-Agent");
                if (h.getName().equalsIgnoreCase("Accept")) {
                    acceptSet = true;
                    if (value.isEmpty()) {
                        continue;  // an empty Accept means "send none"
                    }
                }
                headers.add(new HttpGetter.Header(h.getName(), value));
            }
        }
        if (!userAgentSet) {
            headers.add(new HttpGetter.Header("User-Agent", userAgent));
        }
        if (!acceptSet) {
            headers.add(new HttpGetter.Header("Accept", "*/*"));
        }
        return List.copyOf(headers);
    }
}
