package dev.clones.media.files;

import dev.clones.common.error.ApiProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FileNamesTest {

    @Test
    void percentEncodedAndRawUtf8NamesAreDecoded() {
        assertEquals("résumé final.pdf", FileNames.fromHeader("r%C3%A9sum%C3%A9%20final.pdf"));
        String rawUtf8AsLatin1 = new String("résumé.pdf".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertEquals("résumé.pdf", FileNames.fromHeader(rawUtf8AsLatin1));
        assertEquals("plain name (1).txt", FileNames.fromHeader("plain name (1).txt"));
        assertEquals("100%.txt", FileNames.fromHeader("100%25.txt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc/passwd", "a/b", "a\\b", "..", ".", "a..b", "\u0000x", "x\ny", "\u202Egnp.exe", " ", ""})
    void unsafeNamesAreRefused(String name) {
        ApiProblem problem = assertThrows(ApiProblem.class, () -> FileNames.validate(name));
        assertEquals(400, problem.status());
    }

    @Test
    void namesOver255BytesAreRefusedEvenWhenShortInCharacters() {
        assertEquals(127 * 2 + 1, FileNames.validate("é".repeat(127) + "x").getBytes(StandardCharsets.UTF_8).length);
        assertThrows(ApiProblem.class, () -> FileNames.validate("é".repeat(128)));
    }

    @Test
    void malformedEncodingIsRefused() {
        assertThrows(ApiProblem.class, () -> FileNames.fromHeader("%"));
        assertThrows(ApiProblem.class, () -> FileNames.fromHeader("%zz"));
        assertThrows(ApiProblem.class, () -> FileNames.fromHeader("%C3%28"));
        assertThrows(ApiProblem.class, () -> FileNames.fromHeader(null));
    }

    @Test
    void contentDispositionCarriesAnAsciiFallbackAndTheUtf8Name() {
        assertEquals("attachment; filename=\"r_sum_ _x_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22x%22.pdf",
                FileNames.contentDisposition("résumé \"x\".pdf"));
    }
}
