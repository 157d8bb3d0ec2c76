package io.bosun.agent.nodeapi.auth;

/** The kubelet's {@code authorization.mode}. */
public enum AuthorizationMode {
    ALWAYS_ALLOW("AlwaysAllow"),
    WEBHOOK("Webhook");

    private final String configName;

    AuthorizationMode(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** @throws IllegalArgumentException naming {@code field} when {@code value} is no mode */
    public static AuthorizationMode parse(String field, String value) {
        for (AuthorizationMode mode : values()) {
            if (mode.configName.equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException(field + ": unsupported authorization mode \"" + value
                + "\" (AlwaysAllow or Webhook)");
    }
}
