package io.dln.tasks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Is the sum of a few numbers even or odd? The intermediate result is the sum: an analysis that gets
 * the sum right makes the answer easy, while guessing parity from the numbers at a glance is not
 * much better than chance.
 */
public final class SumParityTask implements TaskFamily {

    private static final Pattern QUESTION = Pattern.compile(
            "(?:Is the sum of|Add together) ((?:\\d+, )*\\d+ and \\d+)[^?]*?(?:even or odd)\\?");
    private static final Pattern STATED = Pattern.compile("(?:=|sum is|total is|gives|comes to)\\s*(-?\\d+)");

    private static final List<String> CLASSES = List.of("even|Even", "odd|Odd");
    private static final List<Insight> INSIGHTS = List.of(
            Insight.reasoning("add-all", 0.25,
                    "Add up all the numbers first and write down the sum.",
                    "add up all", "write down the sum", "work out the sum"),
            Insight.reasoning("running-total", 0.20,
                    "Keep a running total, adding the numbers one at a time.",
                    "running total", "one at a time"),
            Insight.reasoning("odd-count", 0.15,
                    "Check the result by counting the odd numbers: an odd count gives an odd sum.",
                    "counting the odd", "odd count", "how many of the numbers are odd"),
            Insight.answer("last-digit", 0.10,
                    "A whole number is even when its last digit is 0, 2, 4, 6 or 8, and odd otherwise.",
                    "last digit", "divisible by 2", "divisible by two"),
            Insight.answer("one-word", 0.05, "Answer with one word: even or odd.", "one word", "single word"));

    @Override
    public String name() {
        return "sum-parity";
    }

    @Override
    public String description() {
        return "Say whether the sum of a few whole numbers is even or odd.";
    }

    @Override
    public List<TaskExample> generate(long seed, int count) {
        Random rng = new Random(seed);
        List<TaskExample> examples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int n = 3 + rng.nextInt(4);
            List<String> numbers = new ArrayList<>();
            for (int k = 0; k < n; k++) numbers.add(String.valueOf(1 + rng.nextInt(99)));
            String list = Texts.joinAnd(numbers);
            String input = rng.nextBoolean()
                    ? "Is the sum of " + list + " even or odd?"
                    : "Add together " + list + ". Is the total even or odd?";
            examples.add(new TaskExample(input, solve(input)));
        }
        return examples;
    }

    static List<Integer> numbers(String input) {
        Matcher m = QUESTION.matcher(input);
        if (!m.find()) throw new IllegalArgumentException("not a sum-parity question: " + input);
        return Texts.integers(m.group(1));
    }

    private static int sum(List<Integer> numbers) {
        return numbers.stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public String solve(String input) {
        return sum(numbers(input)) % 2 == 0 ? "even" : "odd";
    }

    @Override
    public boolean recognizes(String text) {
        return QUESTION.matcher(text).find();
    }

    @Override
    public List<String> outputClasses() {
        return CLASSES;
    }

    @Override
    public String initialInstruction() {
        return "Answer the question about the numbers.";
    }

    @Override
    public List<Insight> insights() {
        return INSIGHTS;
    }

    @Override
    public double baseAccuracy() {
        return 0.55;
    }

    @Override
    public double baseReasoning() {
        return 0.30;
    }

    @Override
    public String intermediate(String input) {
        return String.valueOf(sum(numbers(input)));
    }

    @Override
    public Judgement judge(String input, String analysis) {
        Matcher m = STATED.matcher(analysis);
        String last = null;
        while (m.find()) last = m.group(1);
        if (last == null) return Judgement.NONE;
        return Integer.parseInt(last) == sum(numbers(input)) ? Judgement.RIGHT : Judgement.WRONG;
    }

    @Override
    public List<String> analyses(String input, boolean right) {
        List<Integer> numbers = numbers(input);
        List<String> texts = new ArrayList<>();
        if (right) {
            addPhrasings(texts, numbers, 0);
            return texts;
        }
        Random rng = new Random(Texts.stableHash(input));
        List<Runnable> mistakes = new ArrayList<>();
        // forgetting an odd number flips the parity; so does a slip by one or by nine
        List<Integer> odd = numbers.stream().filter(v -> v % 2 != 0).toList();
        if (!odd.isEmpty()) {
            int dropped = odd.get(rng.nextInt(odd.size()));
            mistakes.add(() -> {
                List<Integer> rest = new ArrayList<>(numbers);
                rest.remove(Integer.valueOf(dropped));
                addPhrasings(texts, rest, 0);
            });
        }
        mistakes.add(() -> addPhrasings(texts, numbers, rng.nextBoolean() ? 1 : -1));
        mistakes.add(() -> addPhrasings(texts, numbers, rng.nextBoolean() ? 9 : -9));
        Collections.shuffle(mistakes, rng);
        mistakes.subList(0, 2).forEach(Runnable::run);
        return texts;
    }

    /** Three phrasings of adding up {@code numbers}, with {@code slip} added to the last partial sum. */
    private static void addPhrasings(List<String> texts, List<Integer> numbers, int slip) {
        List<Integer> partial = new ArrayList<>();
        int total = 0;
        for (int v : numbers) {
            total += v;
            partial.add(total);
        }
        total += slip;
        partial.set(partial.size() - 1, total);
        String parity = total % 2 == 0 ? "even" : "odd";
        texts.add(String.join(" + ", numbers.stream().map(String::valueOf).toList()) + " = " + total
                + ", which is " + parity + ".");
        texts.add("Running total: " + String.join(", ", partial.stream().map(String::valueOf).toList())
                + ". The sum is " + total + ".");
        texts.add("Adding the numbers gives " + total + ", an " + parity + " number.");
    }
}
