package io.dln.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two shopping baskets, each a few items with a quantity and a unit price: which costs more in total?
 * The intermediate result is the pair of totals; the basket with more items or dearer items is often
 * not the dearer basket, so answering at a glance is close to chance.
 */
public final class BasketTotalsTask implements TaskFamily {

    private static final String QUESTION = "Which basket costs more in total, the first or the second?";
    private static final String[][] GOODS = {
            {"apple", "apples"}, {"pear", "pears"}, {"loaf of bread", "loaves of bread"}, {"cheese", "cheeses"},
            {"jar of honey", "jars of honey"}, {"lemon", "lemons"}, {"candle", "candles"},
            {"notebook", "notebooks"}, {"bag of rice", "bags of rice"}, {"melon", "melons"}};
    private static final Pattern ITEM = Pattern.compile("(\\d+) ([a-z][a-z ]*?) at (\\d+) coins? each");
    private static final Pattern SECOND = Pattern.compile("The second basket holds");
    private static final Pattern TOTAL = Pattern.compile("(-?\\d+) coins?\\b");

    record Item(int quantity, String goods, int price) {
        int cost() {
            return quantity * price;
        }
    }

    private static final List<String> CLASSES = List.of("first|First", "second|Second");
    private static final List<Insight> INSIGHTS = List.of(
            Insight.reasoning("multiply", 0.25,
                    "Multiply each quantity by its unit price.",
                    "multiply", "quantity times", "times its price"),
            Insight.reasoning("per-basket", 0.20,
                    "Add up the cost of each basket separately before comparing them.",
                    "each basket separately", "total of each basket", "total for each basket"),
            Insight.reasoning("not-count", 0.10,
                    "The number of items in a basket does not decide which one costs more.",
                    "number of items", "item count"),
            Insight.answer("larger-total", 0.10,
                    "Name the basket with the larger total.",
                    "larger total", "bigger total", "higher total"),
            Insight.answer("one-word", 0.05, "Answer with first or second.", "first or second"));

    @Override
    public String name() {
        return "basket-totals";
    }

    @Override
    public String description() {
        return "Compare the total prices of two shopping baskets and say which costs more.";
    }

    @Override
    public List<TaskExample> generate(long seed, int count) {
        Random rng = new Random(seed);
        List<TaskExample> examples = new ArrayList<>(count);
        while (examples.size() < count) {
            List<String> first = basket(rng);
            List<String> second = basket(rng);
            String input = "The first basket holds " + Texts.joinAnd(first) + ". The second basket holds "
                    + Texts.joinAnd(second) + ". " + QUESTION;
            int[] totals = totals(input);
            // keep the totals close, so that a glance at the baskets does not settle the question
            int gap = Math.abs(totals[0] - totals[1]);
            if (gap == 0 || gap > Math.max(4, Math.max(totals[0], totals[1]) / 4)) continue;
            examples.add(new TaskExample(input, solve(input)));
        }
        return examples;
    }

    private static List<String> basket(Random rng) {
        List<String> items = new ArrayList<>();
        List<Integer> used = new ArrayList<>();
        int n = 2 + rng.nextInt(2);
        while (items.size() < n) {
            int g = rng.nextInt(GOODS.length);
            if (used.contains(g)) continue;
            used.add(g);
            int q = 1 + rng.nextInt(6);
            int p = 1 + rng.nextInt(9);
            items.add(q + " " + GOODS[g][q == 1 ? 0 : 1] + " at " + p + (p == 1 ? " coin" : " coins") + " each");
        }
        return items;
    }

    static List<List<Item>> baskets(String input) {
        Matcher split = SECOND.matcher(input);
        if (!input.contains(QUESTION) || !split.find()) {
            throw new IllegalArgumentException("not a basket question: " + input);
        }
        return List.of(items(input.substring(0, split.start())), items(input.substring(split.start())));
    }

    private static List<Item> items(String text) {
        List<Item> items = new ArrayList<>();
        Matcher m = ITEM.matcher(text);
        while (m.find()) items.add(new Item(Integer.parseInt(m.group(1)), m.group(2), Integer.parseInt(m.group(3))));
        return items;
    }

    private static int[] totals(String input) {
        List<List<Item>> b = baskets(input);
        return new int[]{b.get(0).stream().mapToInt(Item::cost).sum(), b.get(1).stream().mapToInt(Item::cost).sum()};
    }

    @Override
    public String solve(String input) {
        int[] t = totals(input);
        return t[0] > t[1] ? "first" : "second";
    }

    @Override
    public boolean recognizes(String text) {
        return text.contains(QUESTION) && SECOND.matcher(text).find();
    }

    @Override
    public List<String> outputClasses() {
        return CLASSES;
    }

    @Override
    public String initialInstruction() {
        return "Answer the question about the two baskets.";
    }

    @Override
    public List<Insight> insights() {
        return INSIGHTS;
    }

    @Override
    public double baseAccuracy() {
        return 0.5;
    }

    @Override
    public double baseReasoning() {
        return 0.30;
    }

    @Override
    public String intermediate(String input) {
        int[] t = totals(input);
        return "first " + t[0] + ", second " + t[1];
    }

    @Override
    public Judgement judge(String input, String analysis) {
        if (!TOTAL.matcher(analysis).results().skip(1).findAny().isPresent()) return Judgement.NONE;
        int[] stated = statedTotals(analysis);
        int[] t = totals(input);
        boolean right = stated[0] == t[0] && stated[1] == t[1];
        return right ? Judgement.RIGHT : Judgement.WRONG;
    }

    @Override
    public List<String> analyses(String input, boolean right) {
        List<List<Item>> b = baskets(input);
        List<String> texts = new ArrayList<>();
        if (right) {
            addPhrasings(texts, b.get(0), b.get(1), false);
            return texts;
        }
        int[] truth = totals(input);
        // typical slips: adding quantities to prices, forgetting the last item of a basket;
        // keep the two that make the other basket look dearer, so the analysis misleads
        List<List<List<Item>>> slips = new ArrayList<>();
        slips.add(null);
        for (int which = 0; which < 2; which++) {
            if (b.get(which).size() < 2) continue;
            List<List<Item>> shorter = new ArrayList<>(b);
            List<Item> cut = new ArrayList<>(b.get(which));
            cut.removeLast();
            shorter.set(which, cut);
            slips.add(shorter);
        }
        for (List<List<Item>> slip : slips) {
            if (texts.size() >= 6) break;
            List<String> phrasings = new ArrayList<>();
            if (slip == null) addPhrasings(phrasings, b.get(0), b.get(1), true);
            else addPhrasings(phrasings, slip.get(0), slip.get(1), false);
            int[] stated = statedTotals(phrasings.getFirst());
            if (Integer.compare(stated[0], stated[1]) != Integer.compare(truth[0], truth[1])) texts.addAll(phrasings);
        }
        if (texts.isEmpty()) {
            texts.add("The first basket totals " + truth[1] + " coins and the second totals " + truth[0] + " coins.");
            texts.add("Item by item, the first basket comes to " + truth[1] + " coins and the second to " + truth[0] + " coins.");
        }
        return texts;
    }

    private static int[] statedTotals(String analysis) {
        List<Integer> stated = new ArrayList<>();
        Matcher m = TOTAL.matcher(analysis);
        while (m.find()) stated.add(Integer.parseInt(m.group(1)));
        return new int[]{stated.get(stated.size() - 2), stated.getLast()};
    }

    private static void addPhrasings(List<String> texts, List<Item> first, List<Item> second, boolean addInstead) {
        String op = addInstead ? " + " : " x ";
        int t1 = first.stream().mapToInt(i -> addInstead ? i.quantity() + i.price() : i.cost()).sum();
        int t2 = second.stream().mapToInt(i -> addInstead ? i.quantity() + i.price() : i.cost()).sum();
        texts.add("First basket: " + working(first, op) + " = " + t1 + " coins. Second basket: "
                + working(second, op) + " = " + t2 + " coins.");
        texts.add("The first basket totals " + t1 + " coins and the second totals " + t2 + " coins.");
        texts.add("Item by item, the first basket comes to " + t1 + " coins and the second to " + t2 + " coins.");
    }

    private static String working(List<Item> items, String op) {
        return String.join(" + ", items.stream().map(i -> i.quantity() + op + i.price()).toList());
    }
}
