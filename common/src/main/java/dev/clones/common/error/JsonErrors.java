package dev.clones.common.error;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.stream.Collectors;

/** Says what is wrong with a JSON body without echoing internals or stack traces. */
final class JsonErrors {

    private JsonErrors() {
    }

    static String describe(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping
                ? mapping.getPath().stream()
                        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                        .collect(Collectors.joining("."))
                : "";
        if (e instanceof InputCoercionException overflow) {
            String name = overflow.getProcessor() instanceof JsonParser parser ? currentName(parser) : null;
            return (name == null ? "A number" : "Field '" + name + "'") + " is out of range: expected "
                    + simpleName(overflow.getTargetType()) + ".";
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + unknown.getPropertyName() + "'.";
        }
        if (e instanceof InvalidFormatException invalid) {
            return "Field '" + field + "' has the wrong type or format: expected " + simpleName(invalid.getTargetType()) + ".";
        }
        if (e instanceof MismatchedInputException mismatched && !field.isEmpty()) {
            return "Field '" + field + "' has the wrong type: expected " + simpleName(mismatched.getTargetType()) + ".";
        }
        if (e instanceof MismatchedInputException) {
            return "The request body must be a JSON object.";
        }
        return "Malformed JSON in the request body.";
    }

    private static String currentName(JsonParser parser) {
        try {
            return parser.currentName();
        } catch (Exception ignored) {
            return null;
        }
    }

    private static String simpleName(Class<?> type) {
        if (type == null) {
            return "a different type";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        return type.getSimpleName();
    }
}
