package dev.clones.deploy;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Multi-document YAML as plain maps, in document and key order. */
public final class Yaml {

    private static final ObjectMapper MAPPER = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .disable(YAMLWriteFeature.SPLIT_LINES)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
            .enable(YAMLWriteFeature.LITERAL_BLOCK_STYLE)
            .build();

    private Yaml() {
    }

    /** Every non-empty document of a stream such as {@code helm template}'s output. */
    public static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (MappingIterator<Object> it = MAPPER.readerFor(Object.class).readValues(yaml)) {
            while (it.hasNextValue()) {
                Object document = it.nextValue();
                if (document instanceof Map<?, ?> map && !map.isEmpty()) {
                    documents.add(MAPPER.convertValue(map, new TypeReference<LinkedHashMap<String, Object>>() { }));
                }
            }
        }
        return documents;
    }

    public static Object read(String yaml) {
        return MAPPER.readValue(yaml, Object.class);
    }

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** Documents joined by {@code ---}. */
    public static String writeAll(List<?> documents) {
        StringBuilder out = new StringBuilder();
        for (Object document : documents) {
            if (!out.isEmpty()) {
                out.append("---\n");
            }
            out.append(write(document));
        }
        return out.toString();
    }
}
