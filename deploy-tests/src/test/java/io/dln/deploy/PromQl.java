package io.dln.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects. A small lexer, not a parser: it drops string literals, label
 * matchers, range selectors, grouping clauses and Grafana variables, then keeps the identifiers that are not
 * function calls or keywords. {@code promtool} (when installed) checks that the expressions parse at all.
 */
final class PromQl {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "bool", "offset", "inf", "nan", "Inf", "NaN", "start", "end");
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

    private PromQl() {
    }

    static Set<String> metricNames(String expression) {
        String e = STRINGS.matcher(expression).replaceAll("\"\"");
        e = e.replaceAll("\\{[^}]*}", " ");            // label matchers (strings are gone, so no brace inside)
        e = e.replaceAll("\\[[^]]*]", " ");            // range and subquery selectors
        e = GROUPING.matcher(e).replaceAll(" ");
        e = e.replaceAll("\\$\\{[^}]*}|\\$\\w+", " 1 "); // Grafana variables
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            if (m.group(2) != null) continue; // a function or aggregation
            String id = m.group(1);
            if (KEYWORDS.contains(id)) continue;
            names.add(id);
        }
        return names;
    }

    /** Grafana's variables replaced by values PromQL accepts, so promtool can parse a dashboard query. */
    static String withoutGrafanaVariables(String expression) {
        return expression
                .replace("$__rate_interval", "5m")
                .replace("$__interval", "1m")
                .replace("$__range", "1h")
                .replaceAll("\\$\\{?backend}?", ".*")
                .replaceAll("\\$\\{?\\w+}?", ".*");
    }
}
