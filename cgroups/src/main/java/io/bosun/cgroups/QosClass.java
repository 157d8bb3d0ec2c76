package io.bosun.cgroups;

/** The Kubernetes QoS classes, with the names the API reports. */
public enum QosClass {
    GUARANTEED("Guaranteed"), BURSTABLE("Burstable"), BEST_EFFORT("BestEffort");

    private final String apiName;

    QosClass(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public static QosClass fromApiName(String name) {
        for (QosClass q : values()) {
            if (q.apiName.equals(name)) {
                return q;
            }
        }
        throw new IllegalArgumentException("unknown QoS class " + name);
    }
}
