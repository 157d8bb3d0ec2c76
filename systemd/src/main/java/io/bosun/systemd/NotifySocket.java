package io.bosun.systemd;

import java.io.IOException;

/** Where sd_notify messages go: the service manager's socket. */
interface NotifySocket extends AutoCloseable {

    /** Sends one message: newline-separated {@code KEY=value} assignments. */
    void send(String message) throws IOException;

    @Override
    void close();
}
