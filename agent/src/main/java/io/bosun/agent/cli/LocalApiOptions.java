package io.bosun.agent.cli;

import picocli.CommandLine.Option;

/** Where the operator commands find a running agent's local API. */
final class LocalApiOptions {

    @Option(names = "--local-api-address", defaultValue = "127.0.0.1",
            description = "Address of the agent's local API (default: ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--local-api-port", defaultValue = "10255",
            description = "Port of the agent's local API (default: ${DEFAULT-VALUE}).")
    int port;

    LocalApiClient client() {
        return new LocalApiClient(address, port);
    }
}
