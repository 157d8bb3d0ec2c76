package io.bosun.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The benchmark's static pods: busybox httpd as in examples/static-pods/web.yaml, each with a tcpSocket readiness
 * probe every second. Each file is written under a dotted name and renamed in, so the agent never reads half a
 * manifest.
 */
final class PodManifests {

    private final Path dir;
    private final String namespace;
    private final String image;

    PodManifests(Path dir, String namespace, String image) {
        this.dir = dir;
        this.namespace = namespace;
        this.image = image;
    }

    /** Writes {@code count} pods named {@code prefix0}, {@code prefix1}, ...; a count of 1 names the pod prefix0. */
    void write(String prefix, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            write(prefix + i);
        }
    }

    void write(String name) throws IOException {
        Path tmp = dir.resolve("." + name + ".yaml");
        Files.writeString(tmp, manifest(name));
        Files.move(tmp, dir.resolve(name + ".yaml"), StandardCopyOption.ATOMIC_MOVE);
    }

    void deleteAll() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
    }

    String manifest(String name) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  namespace: %s
                  labels:
                    app: web
                spec:
                  terminationGracePeriodSeconds: 5
                  containers:
                  - name: httpd
                    image: %s
                    command: ["httpd", "-f", "-p", "8080", "-h", "/var/www"]
                    ports:
                    - name: http
                      containerPort: 8080
                    readinessProbe:
                      tcpSocket:
                        port: 8080
                      periodSeconds: 1
                """.formatted(name, namespace, image);
    }
}
