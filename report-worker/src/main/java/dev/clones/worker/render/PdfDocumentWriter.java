package dev.clones.worker.render;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out a report as A4 pages: a heading, then a table whose rows flow onto as many pages as needed,
 * the column header repeated on each, and "page i of n" at the foot. Uses the standard Helvetica fonts,
 * which every PDF reader has, so nothing is embedded; characters those fonts cannot show become '?'.
 */
final class PdfDocumentWriter implements AutoCloseable {

    static final PDType1Font REGULAR = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    static final PDType1Font BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);

    private static final PDRectangle PAGE = PDRectangle.A4;
    private static final float MARGIN = 50;
    private static final float FONT_SIZE = 9;
    private static final float ROW_HEIGHT = 16;
    private static final float CELL_PADDING = 4;
    private static final Color HEADER_FILL = new Color(0xE8, 0xEC, 0xF0);
    private static final Color RULE = new Color(0xC0, 0xC6, 0xCC);

    private final PDDocument document = new PDDocument();
    private final List<Column> columns;
    private final Map<Integer, Boolean> showable = new HashMap<>();
    private PDPageContentStream content;
    private float y;

    /** One table column: its header, width in points, and whether its cells are right-aligned (numbers). */
    record Column(String header, float width, boolean numeric) {
    }

    PdfDocumentWriter(String title, List<Column> columns) {
        this.columns = columns;
        document.getDocumentInformation().setTitle(title);
        document.getDocumentInformation().setCreator("report-worker");
    }

    /** The report's title and a few lines about it, at the top of the first page. */
    void heading(String title, List<String> lines) {
        newPage(false);
        text(BOLD, 18, MARGIN, y - 18, title);
        y -= 34;
        for (String line : lines) {
            text(REGULAR, 10, MARGIN, y - 10, line);
            y -= 15;
        }
        y -= 10;
        tableHeader();
    }

    /** A table row; {@code null} cells stay empty. */
    void row(String... cells) {
        row(false, cells);
    }

    /** A row in bold, with a rule above it (subtotals and totals). */
    void totalRow(String... cells) {
        row(true, cells);
    }

    /** A bold line across the whole table (e.g. which order the next rows belong to). */
    void sectionRow(String text) {
        ensureRoom();
        y -= 4;
        text(BOLD, FONT_SIZE, MARGIN + CELL_PADDING, y - ROW_HEIGHT + 5, fit(BOLD, text, tableWidth() - 2 * CELL_PADDING));
        y -= ROW_HEIGHT;
    }

    byte[] toBytes() {
        try {
            closeContent();
            int pages = document.getNumberOfPages();
            for (int i = 0; i < pages; i++) {
                try (PDPageContentStream foot = new PDPageContentStream(document, document.getPage(i),
                        PDPageContentStream.AppendMode.APPEND, true)) {
                    String label = "Page " + (i + 1) + " of " + pages;
                    float width = REGULAR.getStringWidth(label) / 1000 * 8;
                    foot.beginText();
                    foot.setFont(REGULAR, 8);
                    foot.newLineAtOffset(PAGE.getWidth() - MARGIN - width, MARGIN / 2);
                    foot.showText(label);
                    foot.endText();
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            closeContent();
            document.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void row(boolean bold, String... cells) {
        ensureRoom();
        try {
            if (bold) {
                rule(y, 0.8f);
            }
            PDType1Font font = bold ? BOLD : REGULAR;
            float x = MARGIN;
            for (int i = 0; i < columns.size(); i++) {
                Column column = columns.get(i);
                String cell = i < cells.length && cells[i] != null ? cells[i] : "";
                cell(font, x, column, cell);
                x += column.width();
            }
            y -= ROW_HEIGHT;
            rule(y, 0.3f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void tableHeader() {
        try {
            content.setNonStrokingColor(HEADER_FILL);
            content.addRect(MARGIN, y - ROW_HEIGHT, tableWidth(), ROW_HEIGHT);
            content.fill();
            content.setNonStrokingColor(Color.BLACK);
            float x = MARGIN;
            for (Column column : columns) {
                cell(BOLD, x, column, column.header());
                x += column.width();
            }
            y -= ROW_HEIGHT;
            rule(y, 0.8f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void cell(PDType1Font font, float x, Column column, String value) throws IOException {
        String shown = fit(font, value, column.width() - 2 * CELL_PADDING);
        float textX = column.numeric()
                ? x + column.width() - CELL_PADDING - width(font, FONT_SIZE, shown)
                : x + CELL_PADDING;
        text(font, FONT_SIZE, textX, y - ROW_HEIGHT + 5, shown);
    }

    private void ensureRoom() {
        if (y - ROW_HEIGHT - 4 < MARGIN) {
            newPage(true);
        }
    }

    private void newPage(boolean withTableHeader) {
        try {
            closeContent();
            PDPage page = new PDPage(PAGE);
            document.addPage(page);
            content = new PDPageContentStream(document, page);
            y = PAGE.getHeight() - MARGIN;
            if (withTableHeader) {
                tableHeader();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void closeContent() throws IOException {
        if (content != null) {
            content.close();
            content = null;
        }
    }

    private void rule(float atY, float lineWidth) throws IOException {
        content.setStrokingColor(RULE);
        content.setLineWidth(lineWidth);
        content.moveTo(MARGIN, atY);
        content.lineTo(MARGIN + tableWidth(), atY);
        content.stroke();
    }

    private void text(PDType1Font font, float size, float x, float atY, String value) {
        try {
            content.beginText();
            content.setFont(font, size);
            content.newLineAtOffset(x, atY);
            content.showText(showable(font, value));
            content.endText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Shortens {@code value} with an ellipsis until it fits {@code maxWidth}. */
    private String fit(PDType1Font font, String value, float maxWidth) {
        String shown = showable(font, value);
        if (width(font, FONT_SIZE, shown) <= maxWidth) {
            return shown;
        }
        String ellipsis = "\u2026";
        int end = shown.length();
        while (end > 0 && width(font, FONT_SIZE, shown.substring(0, end) + ellipsis) > maxWidth) {
            end--;
        }
        return shown.substring(0, end) + ellipsis;
    }

    private float width(PDType1Font font, float size, String value) {
        try {
            return font.getStringWidth(value) / 1000 * size;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces what the standard fonts' encoding cannot show (most non-Latin scripts, emoji) with '?'. */
    private String showable(PDType1Font font, String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(cp -> {
            boolean ok = showable.computeIfAbsent(cp, c -> {
                try {
                    font.encode(new String(Character.toChars(c)));
                    return !Character.isISOControl(c);
                } catch (IOException | IllegalArgumentException e) {
                    return false;
                }
            });
            out.append(ok ? new String(Character.toChars(cp)) : "?");
        });
        return out.toString();
    }

    private float tableWidth() {
        float width = 0;
        for (Column column : columns) {
            width += column.width();
        }
        return width;
    }
}
