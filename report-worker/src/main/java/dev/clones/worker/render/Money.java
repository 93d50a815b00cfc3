package dev.clones.worker.render;

import java.util.Locale;

/** Integer cents as people read them: {@code 123456} → {@code 1,234.56}. */
final class Money {

    private Money() {
    }

    static String format(long cents) {
        String sign = cents < 0 ? "-" : "";
        long abs = Math.abs(cents);
        return String.format(Locale.ROOT, "%s%,d.%02d", sign, abs / 100, abs % 100);
    }
}
