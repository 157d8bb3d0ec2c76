package io.bosun.manifests;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Checks a container's requests and limits: resources Bosun can enforce, valid quantities, requests within limits. */
final class ResourceValidator {

    private static final Set<String> NAMES = Set.of("cpu", "memory", "ephemeral-storage");
    private static final String HUGEPAGES_PREFIX = "hugepages-";

    private final Problems problems;

    ResourceValidator(Problems problems) {
        this.problems = problems;
    }

    void validate(ResourceRequirements resources, FieldPath path) {
        if (resources == null) {
            return;
        }
        Map<String, Quantity> limitQuantities = resources.getLimits() == null ? Map.of() : resources.getLimits();
        Map<String, Quantity> requestQuantities =
                resources.getRequests() == null ? Map.of() : resources.getRequests();
        Map<String, BigDecimal> limits = amounts(limitQuantities, Map.of(), path.field("limits"));
        // A request the defaulter copied from a limit would repeat the limit's problem; report it once, on the limit.
        Map<String, BigDecimal> requests = amounts(requestQuantities, limitQuantities, path.field("requests"));
        requests.forEach((name, request) -> {
            BigDecimal limit = limits.get(name);
            if (limit == null) {
                return;
            }
            FieldPath requestPath = path.field("requests").key(name);
            String limitText = Quantities.text(limitQuantities.get(name));
            if (name.startsWith(HUGEPAGES_PREFIX) && request.compareTo(limit) != 0) {
                problems.add(requestPath, "must equal the " + name + " limit (" + limitText + ")");
            } else if (request.compareTo(limit) > 0) {
                problems.add(requestPath, "must be less than or equal to the " + name + " limit (" + limitText + ")");
            }
        });
        if (resources.getClaims() != null && !resources.getClaims().isEmpty()) {
            problems.apiObject(path.field("claims"), "resourceclaims");
        }
    }

    /** @return the valid quantities by resource name, in base units; problems reported for the rest */
    private Map<String, BigDecimal> amounts(Map<String, Quantity> quantities, Map<String, Quantity> reportedElsewhere,
            FieldPath path) {
        Map<String, BigDecimal> amounts = new LinkedHashMap<>();
        quantities.forEach((name, quantity) -> {
            FieldPath entry = path.key(name);
            // Compared as text: Quantity.equals parses, and throws on the malformed ones this is about.
            boolean sameAsReported = quantity != null && reportedElsewhere.get(name) != null
                    && Quantities.text(quantity).equals(Quantities.text(reportedElsewhere.get(name)));
            if (!isSupported(name)) {
                if (!sameAsReported) {
                    problems.add(entry, "unsupported resource " + Problems.quote(name)
                            + ": Bosun supports cpu, memory, ephemeral-storage and hugepages-<page size>");
                }
                return;
            }
            Optional<BigDecimal> amount = Quantities.amount(quantity);
            if (amount.isEmpty()) {
                if (!sameAsReported) {
                    problems.invalid(entry, quantity == null ? null : Quantities.text(quantity), Quantities.RULE);
                }
            } else if (amount.get().signum() < 0) {
                if (!sameAsReported) {
                    problems.invalid(entry, Quantities.text(quantity), "must not be negative");
                }
            } else {
                amounts.put(name, amount.get());
            }
        });
        return amounts;
    }

    private static boolean isSupported(String name) {
        if (NAMES.contains(name)) {
            return true;
        }
        return name.startsWith(HUGEPAGES_PREFIX)
                && Quantities.amount(name.substring(HUGEPAGES_PREFIX.length())).isPresent();
    }
}
