package dev.clones.deploy;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chart as a package: lint, the schema's refusals, and documentation of every value. */
class ChartTest {

    private static final Path BAD_VALUES = Rendered.LAYOUT.root().resolve("deploy-tests/src/test/resources/bad-values");

    @Test
    void lintStrictIsClean() {
        LintResult result = Rendered.CHART.lintStrict();
        assertFalse(result.isFailed(), "helm lint --strict failed:\n" + String.join("\n", result.getMessages()));
        List<String> findings = result.getMessages().stream()
                .filter(m -> m.contains("[WARNING]") || m.contains("[ERROR]")).toList();
        assertTrue(findings.isEmpty(), "helm lint --strict:\n" + String.join("\n", findings));
    }

    /** NOTES.txt renders for every value set and says what matters for it. */
    @ParameterizedTest
    @EnumSource(ValueSet.class)
    void notesRender(ValueSet values) {
        String output = Rendered.CHART.installDryRun(values.files(Rendered.LAYOUT));
        int notes = output.indexOf("NOTES:");
        assertTrue(notes >= 0, values + ": no NOTES in\n" + output);
        String text = output.substring(notes);
        assertTrue(text.contains("helm test clones"), values + ": NOTES must say how to run the smoke test\n" + text);
        assertTrue(text.contains("clones-auth-service:8081"), values + ": NOTES must list the services\n" + text);
        assertEquals(values == ValueSet.DEV || values == ValueSet.ALL_FEATURES, text.contains("NOT FOR PRODUCTION"), values + ": dev warning\n" + text);
        assertEquals(values == ValueSet.PROD || values == ValueSet.ALL_FEATURES, text.contains("scaled by KEDA"), values + ": KEDA note\n" + text);
        assertEquals(values == ValueSet.DEFAULT, text.contains("WARNING: secrets.values.RABBITMQ_PASSWORD is empty"), values + ": secret warning\n" + text);
    }

    static Stream<Path> badValues() throws IOException {
        try (Stream<Path> files = Files.list(BAD_VALUES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    /**
     * Each file under bad-values/ starts with "# expect: <text>": rendering with it must fail with
     * a message holding that text (from the schema or from the chart's own guards).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void badValuesAreRefused(Path values) throws IOException {
        String first = Files.readAllLines(values).getFirst();
        assertTrue(first.startsWith("# expect: "), values + " must start with '# expect: <part of the error>'");
        String expected = first.substring("# expect: ".length()).trim();
        Exception error = assertThrows(Exception.class, () -> Rendered.CHART.template(List.of(values)),
                values.getFileName() + " was accepted");
        assertTrue(error.getMessage() != null && error.getMessage().contains(expected),
                values.getFileName() + ": expected an error containing \"" + expected + "\", got: " + error.getMessage());
    }

    /** Every leaf of values.yaml, or one of its parents, carries a "# --" comment (helm-docs style). */
    @Test
    void everyValueIsDocumented() throws IOException {
        List<String> undocumented = undocumentedValues(Files.readAllLines(Rendered.LAYOUT.chart().resolve("values.yaml")));
        assertTrue(undocumented.isEmpty(), "values.yaml keys without a '# --' comment on them or a parent: " + undocumented);
    }

    @Test
    void documentationCheckSeesMissingComments() {
        List<String> yaml = List.of(
                "# -- documented",
                "a: 1",
                "b:",
                "  # -- documented child",
                "  c: 2",
                "  d: 3",
                "# -- a documented block",
                "e:",
                "  f:",
                "    - g: 1",
                "      h: 2");
        assertTrue(undocumentedValues(yaml).equals(List.of("b.d")), String.valueOf(undocumentedValues(yaml)));
    }

    private record Key(int indent, String path, boolean documented) {
    }

    static List<String> undocumentedValues(List<String> lines) {
        List<String> undocumented = new ArrayList<>();
        Deque<Key> parents = new ArrayDeque<>();
        int listIndent = Integer.MAX_VALUE;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            if (indent >= listIndent) {
                continue; // inside a list value: documented with its key
            }
            listIndent = Integer.MAX_VALUE;
            if (text.startsWith("- ") || text.equals("-")) {
                listIndent = indent;
                continue;
            }
            int colon = text.indexOf(':');
            if (colon < 0) {
                continue;
            }
            while (!parents.isEmpty() && parents.peek().indent() >= indent) {
                parents.pop();
            }
            String name = text.substring(0, colon);
            String path = parents.isEmpty() ? name : parents.peek().path() + "." + name;
            boolean documented = hasDocComment(lines, n, indent) || parents.stream().anyMatch(Key::documented);
            boolean leaf = !text.substring(colon + 1).isBlank() || !hasNestedKeys(lines, n, indent);
            if (leaf && !documented) {
                undocumented.add(path);
            }
            if (!leaf) {
                parents.push(new Key(indent, path, documented));
            }
        }
        return undocumented;
    }

    /** The comment lines right above line n at the same indentation include one starting with "# --". */
    private static boolean hasDocComment(List<String> lines, int n, int indent) {
        for (int i = n - 1; i >= 0; i--) {
            String line = lines.get(i);
            String text = line.strip();
            if (!text.startsWith("#") || line.length() - line.stripLeading().length() != indent) {
                return false;
            }
            if (text.startsWith("# --")) {
                return true;
            }
        }
        return false;
    }

    /** The next meaningful line is a deeper "key:" (a map), not a list item. */
    private static boolean hasNestedKeys(List<String> lines, int n, int indent) {
        for (int i = n + 1; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            int next = lines.get(i).length() - lines.get(i).stripLeading().length();
            return next > indent && !text.startsWith("-");
        }
        return false;
    }
}
