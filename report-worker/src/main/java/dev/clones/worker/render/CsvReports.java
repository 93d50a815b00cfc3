package dev.clones.worker.render;

import dev.clones.worker.repository.CartContents;
import dev.clones.worker.repository.OrderHistory;
import dev.clones.worker.repository.OrderLine;
import dev.clones.worker.repository.StoredOrder;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reports as RFC 4180 CSV: one header line, then one line per order line (or cart line), money in integer
 * cents as everywhere in this API, times in ISO-8601 UTC. Data only, no summary rows, so that any CSV
 * reader or spreadsheet gets a clean table.
 */
@ApplicationScoped
public class CsvReports {

    private static final CSVFormat ORDERS = CSVFormat.RFC4180.builder()
            .setHeader("order_id", "order_created_at", "sku", "name", "quantity", "unit_price_cents", "line_total_cents", "order_total_cents")
            .get();
    private static final CSVFormat CART = CSVFormat.RFC4180.builder()
            .setHeader("sku", "name", "quantity", "unit_price_cents", "line_total_cents")
            .get();

    public byte[] orders(OrderHistory history) {
        return write(ORDERS, printer -> {
            for (StoredOrder order : history.orders()) {
                for (OrderLine line : order.items()) {
                    printer.printRecord(order.id(), order.createdAt().toString(), line.sku(), text(line.name()),
                            line.quantity(), line.priceCents(), line.lineTotalCents(), order.totalCents());
                }
            }
        });
    }

    public byte[] cart(CartContents cart) {
        return write(CART, printer -> {
            for (OrderLine line : cart.items()) {
                printer.printRecord(line.sku(), text(line.name()), line.quantity(), line.priceCents(), line.lineTotalCents());
            }
        });
    }

    /**
     * A cell a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe, the usual
     * defence against CSV injection; product names are the only free text here.
     */
    static String text(String value) {
        if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
            return "'" + value;
        }
        return value;
    }

    private static byte[] write(CSVFormat format, Rows rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CSVPrinter printer = new CSVPrinter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), format)) {
            rows.print(printer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @FunctionalInterface
    private interface Rows {
        void print(CSVPrinter printer) throws IOException;
    }
}
