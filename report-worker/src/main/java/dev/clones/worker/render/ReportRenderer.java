package dev.clones.worker.render;

import dev.clones.worker.repository.CartContents;
import dev.clones.worker.repository.OrderHistory;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a user's data into the bytes of a report in the asked format. */
@ApplicationScoped
public class ReportRenderer {

    private final PdfReports pdf;
    private final CsvReports csv;

    public ReportRenderer(PdfReports pdf, CsvReports csv) {
        this.pdf = pdf;
        this.csv = csv;
    }

    public byte[] orders(ReportFormat format, ReportHeading heading, OrderHistory history) {
        return switch (format) {
            case PDF -> pdf.orders(heading, history);
            case CSV -> csv.orders(history);
        };
    }

    public byte[] cart(ReportFormat format, ReportHeading heading, CartContents cart) {
        return switch (format) {
            case PDF -> pdf.cart(heading, cart);
            case CSV -> csv.cart(cart);
        };
    }
}
