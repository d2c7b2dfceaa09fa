package org.eseg.cli;

import java.util.Locale;

/** Human-readable counts: 6.87M, 33.84B. */
final class Figures {

    private Figures() {}

    static String millions(long n) {
        return String.format(Locale.ROOT, "%.2fM", n / 1e6);
    }

    static String billions(long n) {
        return String.format(Locale.ROOT, "%.2fB", n / 1e9);
    }
}
