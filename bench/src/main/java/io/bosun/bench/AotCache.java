package io.bosun.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The launcher's JDK AOT cache, where bin/bosun keeps it: {@code $BOSUN_AOT_CACHE}, else {@code bosun.aot} next to
 * the jar it runs ({@code $BOSUN_JAR}, else the tree's agent/target/bosun.jar). A start without the file is cold; a
 * start with it is warm.
 */
final class AotCache {

    private final Path file;

    AotCache(Path file) {
        this.file = file;
    }

    static AotCache of(Path launcher, Map<String, String> env) throws IOException {
        String explicit = env.get("BOSUN_AOT_CACHE");
        if (explicit != null && !explicit.isEmpty()) {
            return new AotCache(Path.of(explicit));
        }
        String jar = env.get("BOSUN_JAR");
        Path jarPath = jar != null && !jar.isEmpty() ? Path.of(jar)
                : launcher.toRealPath().getParent().getParent().resolve("agent/target/bosun.jar");
        return new AotCache(jarPath.toAbsolutePath().getParent().resolve("bosun.aot"));
    }

    Path file() {
        return file;
    }

    boolean exists() {
        return Files.exists(file);
    }

    void delete() throws IOException {
        Files.deleteIfExists(file);
    }
}
