package io.dln.core.loss;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 0 when the target's number appears among the numbers of the prediction, else 1, so a worked
 * answer ending in "... so the total is 1,200." is right for the target "1200". Numbers compare
 * by value: "042" and "42.0" both match "42". Thousands separators are dropped on both sides.
 * A target without a number is compared as trimmed text.
 */
public final class NumberPresenceLoss implements Loss {

    public static final String NAME = "number_presence";

    private static final Pattern THOUSANDS_COMMA = Pattern.compile("(?<=\\d),(?=\\d{3}(?!\\d))");
    // A minus sign counts only when it does not follow a word character, so "3-5" reads 3 and 5.
    private static final Pattern NUMBER = Pattern.compile("(?:(?<![\\w.])-)?\\d+(?:\\.\\d+)?");

    @Override
    public String normalize(String text) {
        return text == null ? "" : text.strip();
    }

    @Override
    public double loss(String prediction, String target) {
        List<BigDecimal> wanted = numbers(normalize(target));
        if (wanted.isEmpty()) return normalize(prediction).equals(normalize(target)) ? 0.0 : 1.0;
        BigDecimal number = wanted.getFirst();
        for (BigDecimal found : numbers(normalize(prediction))) {
            if (found.compareTo(number) == 0) return 0.0;
        }
        return 1.0;
    }

    static List<BigDecimal> numbers(String text) {
        Matcher m = NUMBER.matcher(THOUSANDS_COMMA.matcher(text).replaceAll(""));
        List<BigDecimal> numbers = new ArrayList<>();
        while (m.find()) numbers.add(new BigDecimal(m.group()));
        return numbers;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
