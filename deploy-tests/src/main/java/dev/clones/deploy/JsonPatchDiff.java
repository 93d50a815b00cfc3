package dev.clones.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The RFC 6902 operations that turn one manifest into another. Maps are compared key by key,
 * lists of equal length element by element; a list whose length changed is replaced whole, so
 * that no operation depends on the index shifts of an earlier one. Hand-written on purpose: general
 * diff libraries (zjsonpatch and the like) emit index-based and move operations, which make a kustomize
 * overlay break when the base list changes; this one only ever emits add, remove and replace.
 */
public final class JsonPatchDiff {

    private JsonPatchDiff() {
    }

    public static List<Map<String, Object>> diff(Object from, Object to) {
        List<Map<String, Object>> ops = new ArrayList<>();
        diff("", from, to, ops);
        return ops;
    }

    private static void diff(String path, Object from, Object to, List<Map<String, Object>> ops) {
        if (Objects.equals(from, to)) {
            return;
        }
        if (from instanceof Map<?, ?> a && to instanceof Map<?, ?> b) {
            for (Object key : a.keySet()) {
                if (!b.containsKey(key)) {
                    ops.add(op("remove", path + "/" + escape(key), null, false));
                }
            }
            for (Map.Entry<?, ?> entry : b.entrySet()) {
                String child = path + "/" + escape(entry.getKey());
                if (a.containsKey(entry.getKey())) {
                    diff(child, a.get(entry.getKey()), entry.getValue(), ops);
                } else {
                    ops.add(op("add", child, entry.getValue(), true));
                }
            }
        } else if (from instanceof List<?> a && to instanceof List<?> b && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                diff(path + "/" + i, a.get(i), b.get(i), ops);
            }
        } else {
            ops.add(op("replace", path, to, true));
        }
    }

    private static Map<String, Object> op(String op, String path, Object value, boolean withValue) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("op", op);
        operation.put("path", path);
        if (withValue) {
            operation.put("value", value);
        }
        return operation;
    }

    /** RFC 6901: "~" and "/" inside a key (e.g. "app.kubernetes.io/name"). */
    private static String escape(Object key) {
        return String.valueOf(key).replace("~", "~0").replace("/", "~1");
    }
}
