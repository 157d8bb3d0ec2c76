package io.bosun.agent.eviction;

/**
 * A threshold's value: an absolute quantity (bytes, inodes, processes) or a fraction of the signal's capacity.
 *
 * @param quantity   the absolute value, or null for a percentage
 * @param percentage the fraction of capacity (0.1 for {@code 10%}), used when {@code quantity} is null
 */
public record ThresholdValue(Long quantity, float percentage) {

    public static ThresholdValue ofQuantity(long quantity) {
        return new ThresholdValue(quantity, 0);
    }

    public static ThresholdValue ofPercentage(float percentage) {
        return new ThresholdValue(null, percentage);
    }

    /** The value against a capacity, truncated as the kubelet's GetThresholdQuantity. */
    public long against(long capacity) {
        return quantity != null ? quantity : (long) ((double) capacity * (double) percentage);
    }
}
