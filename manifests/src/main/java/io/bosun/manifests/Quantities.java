package io.bosun.manifests;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads resource quantities by the apimachinery grammar. fabric8 decodes any string into a {@link Quantity}
 * ({@code "abc"} included) and only fails when asked for the amount, so the text is checked here first.
 */
final class Quantities {

    static final String RULE = "must be a quantity such as 500m, 2, 1.5, 128Mi, 1Gi or 1e3";

    private static final Pattern GRAMMAR = Pattern.compile(
            "[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?");

    private Quantities() {
    }

    static String text(Quantity quantity) {
        String amount = quantity.getAmount() == null ? "" : quantity.getAmount();
        return quantity.getFormat() == null ? amount : amount + quantity.getFormat();
    }

    /** The amount in base units (cores, bytes), or empty when the text is not a quantity. */
    static Optional<BigDecimal> amount(Quantity quantity) {
        return quantity == null ? Optional.empty() : amount(text(quantity));
    }

    static Optional<BigDecimal> amount(String text) {
        if (!GRAMMAR.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Quantity(text).getNumericalAmount());
        } catch (ArithmeticException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
