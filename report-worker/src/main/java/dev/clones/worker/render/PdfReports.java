package dev.clones.worker.render;

import dev.clones.worker.render.PdfDocumentWriter.Column;
import dev.clones.worker.repository.CartContents;
import dev.clones.worker.repository.OrderHistory;
import dev.clones.worker.repository.OrderLine;
import dev.clones.worker.repository.StoredOrder;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Reports as PDF: a real table of order lines with each order's total and the grand total. */
@ApplicationScoped
public class PdfReports {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final List<Column> LINES = List.of(
            new Column("SKU", 110, false),
            new Column("Product", 190, false),
            new Column("Qty", 40, true),
            new Column("Unit price", 75, true),
            new Column("Line total", 80, true));

    public byte[] orders(ReportHeading heading, OrderHistory history) {
        long grandTotal = history.orders().stream().mapToLong(StoredOrder::totalCents).sum();
        List<String> about = new ArrayList<>(about(heading));
        about.add(history.orders().size() + (history.orders().size() == 1 ? " order" : " orders")
                + ", total " + Money.format(grandTotal));
        if (history.truncated()) {
            about.add("Showing the newest " + history.orders().size() + " of " + history.totalCount() + " orders.");
        }
        try (PdfDocumentWriter pdf = new PdfDocumentWriter("Orders report", LINES)) {
            pdf.heading("Orders report", about);
            if (history.orders().isEmpty()) {
                pdf.row(null, "No orders yet.");
            }
            for (StoredOrder order : history.orders()) {
                pdf.sectionRow("Order " + order.id() + "  \u2013  " + WHEN.format(order.createdAt()));
                lines(pdf, order.items());
                pdf.totalRow(null, "Order total", null, null, Money.format(order.totalCents()));
            }
            pdf.totalRow(null, "Grand total", null, null, Money.format(grandTotal));
            return pdf.toBytes();
        }
    }

    public byte[] cart(ReportHeading heading, CartContents cart) {
        List<String> about = new ArrayList<>(about(heading));
        about.add("Priced with the catalogue at the time of the report.");
        if (!cart.unknownSkus().isEmpty()) {
            about.add("No longer sold, left out: " + String.join(", ", cart.unknownSkus()));
        }
        try (PdfDocumentWriter pdf = new PdfDocumentWriter("Cart report", LINES)) {
            pdf.heading("Cart report", about);
            if (cart.items().isEmpty()) {
                pdf.row(null, "The cart is empty.");
            }
            lines(pdf, cart.items());
            pdf.totalRow(null, "Cart total", null, null, Money.format(cart.totalCents()));
            return pdf.toBytes();
        }
    }

    private static void lines(PdfDocumentWriter pdf, List<OrderLine> lines) {
        for (OrderLine line : lines) {
            pdf.row(line.sku(), line.name(), Integer.toString(line.quantity()),
                    Money.format(line.priceCents()), Money.format(line.lineTotalCents()));
        }
    }

    private static List<String> about(ReportHeading heading) {
        return List.of("Report " + heading.reportId() + " for user " + heading.userId(),
                "Generated " + WHEN.format(heading.generatedAt()));
    }
}
