package io.bosun.manifests;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;

/**
 * Decodes a quantity without judging it, so a malformed one ({@code 1e3x}) reaches validation and is reported there
 * with the rule, like every other invalid value, instead of failing the decoding of the whole pod. A well-formed one
 * decodes as fabric8 would decode it.
 */
final class QuantityDeserializer extends StdDeserializer<Quantity> {

    private static final long serialVersionUID = 1L;

    /** Replaces the deserializer fabric8 annotates Quantity with; a module's deserializer would not win over it. */
    @JsonDeserialize(using = QuantityDeserializer.class)
    abstract static class MixIn {
    }

    QuantityDeserializer() {
        super(Quantity.class);
    }

    @Override
    public Quantity deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NUMBER_INT
                && token != JsonToken.VALUE_NUMBER_FLOAT) {
            return (Quantity) context.handleUnexpectedToken(Quantity.class, parser);
        }
        String text = parser.getText();
        if (Quantities.amount(text).isPresent()) {
            return new Quantity(text);
        }
        Quantity malformed = new Quantity();
        malformed.setAmount(text);
        return malformed;
    }
}
