package io.bosun.runtime;

/**
 * A connected container runtime backend (CRI, Docker Engine): its runtime and image seams, and where it listens.
 * The agent holds one for its life and closes it last.
 */
public interface RuntimeConnection extends AutoCloseable {

    RuntimeService runtimeService();

    ImageService imageService();

    /** The endpoint as the user gave it, for logs and the node's status. */
    String address();

    /** The unix socket the runtime listens on, which privileged pods must not be handed. */
    java.nio.file.Path socket();

    @Override
    void close();
}
