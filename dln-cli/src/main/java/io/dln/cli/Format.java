package io.dln.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Small text helpers for the commands' output. */
final class Format {

    private Format() {
    }

    static String percent(Double value) {
        return value == null ? "-" : String.format("%.1f%%", 100 * value);
    }

    static String duration(Duration d) {
        long h = d.toHours();
        return h > 0 ? String.format("%d:%02d:%02d", h, d.toMinutesPart(), d.toSecondsPart())
                : String.format("%d:%02d", d.toMinutes(), d.toSecondsPart());
    }

    /** "2026-11-26T19:55:41.123Z" → "2026-11-26 19:55:41". */
    static String time(String iso) {
        if (iso == null) return "-";
        String t = iso.replace('T', ' ');
        return t.length() > 19 ? t.substring(0, 19) : t;
    }

    static String orDash(Object value) {
        return value == null ? "-" : String.valueOf(value);
    }

    /** Whether standard output goes to a terminal, where a progress line can be redrawn in place. */
    static boolean interactive() {
        Console console = System.console();
        if (console == null) return false;
        try {
            Method isTerminal = Console.class.getMethod("isTerminal"); // JDK 22+: a console may exist without a terminal
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** Columns padded to their widest cell. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        Table row(Object... cells) {
            String[] text = new String[cells.length];
            for (int i = 0; i < cells.length; i++) text[i] = orDash(cells[i]);
            rows.add(text);
            return this;
        }

        boolean empty() {
            return rows.size() == 1;
        }

        String render() {
            int columns = rows.getFirst().length;
            int[] width = new int[columns];
            for (String[] r : rows) for (int i = 0; i < columns; i++) width[i] = Math.max(width[i], r[i].length());
            StringBuilder sb = new StringBuilder();
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < columns; i++) {
                    line.append(i == columns - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
                }
                sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
            }
            return sb.toString();
        }
    }
}
