package io.dln.tasks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BIG-Bench-Hard "navigate": does a list of moves bring you back to where you started? Solved
 * exactly for both forms of the task: fixed facing with directed steps ("Always face forward.
 * Take 3 steps left.") and turns with undirected steps ("Turn around. Take 3 steps.").
 * Coordinates: x grows to the right of the starting direction, y grows ahead of it.
 */
public final class NavigateTask implements TaskFamily {

    public static final String QUESTION = "If you follow these instructions, do you return to the starting point?";
    static final String OPTIONS = "\nOptions:\n- Yes\n- No";

    private static final Pattern MOVE = Pattern.compile(
            "Always face forward\\.|Turn (left|right|around)\\.|Take (\\d+) steps?(?: (forward|backward|left|right))?\\.");
    private static final Pattern RECOGNISE = Pattern.compile(
            "do you return to the starting point|Take \\d+ steps?(?: (?:forward|backward|left|right))?\\. (?:Take|Turn)");
    private static final Pattern POSITION = Pattern.compile("\\((-?\\d+),\\s*(-?\\d+)\\)");
    // headings clockwise: ahead, right, behind, left
    private static final int[] DX = {0, 1, 0, -1};
    private static final int[] DY = {1, 0, -1, 0};
    private static final String[] HEADING = {"north", "east", "south", "west"};

    /** One instruction: a turn by quarter turns clockwise, or steps in a direction relative to the heading. */
    record Move(boolean turn, int quarters, int steps, String text) {

        static Move parse(Matcher m) {
            if (m.group(1) != null) {
                int q = switch (m.group(1)) {
                    case "right" -> 1;
                    case "around" -> 2;
                    default -> 3;
                };
                return new Move(true, q, 0, m.group());
            }
            if (m.group(2) != null) {
                int rel = m.group(3) == null ? 0 : switch (m.group(3)) {
                    case "right" -> 1;
                    case "backward" -> 2;
                    case "left" -> 3;
                    default -> 0;
                };
                return new Move(false, rel, Integer.parseInt(m.group(2)), m.group());
            }
            return new Move(true, 0, 0, m.group()); // "Always face forward": nothing changes
        }
    }

    /** Where the walker stands and faces after each move. */
    record State(int x, int y, int heading) {
        State apply(Move move) {
            if (move.turn()) return new State(x, y, (heading + move.quarters()) % 4);
            int d = (heading + move.quarters()) % 4;
            return new State(x + DX[d] * move.steps(), y + DY[d] * move.steps(), heading);
        }

        String position() {
            return "(" + x + ", " + y + ")";
        }

        boolean atStart() {
            return x == 0 && y == 0;
        }
    }

    private static final List<String> CLASSES = List.of("Yes|yes", "No|no");
    private static final List<Insight> INSIGHTS = List.of(
            Insight.reasoning("coordinates", 0.25,
                    "Keep track of your position as x and y coordinates, starting from (0, 0).",
                    "coordinates", "track your position", "track of your position"),
            Insight.reasoning("turns", 0.15,
                    "A turn changes only the direction you face; the steps after it go that way.",
                    "direction you face", "turn changes"),
            Insight.reasoning("cancel", 0.15,
                    "Steps in opposite directions cancel each other out.",
                    "cancel", "opposite directions"),
            Insight.answer("origin", 0.10,
                    "Answer Yes only if you end exactly where you started, otherwise No.",
                    "exactly where you started", "both coordinates are zero"),
            Insight.answer("format", 0.05, "Reply with Yes or No.", "yes or no"));

    @Override
    public String name() {
        return "navigate";
    }

    @Override
    public String description() {
        return "Follow a list of steps and turns and say whether you end where you started (BIG-Bench-Hard navigate).";
    }

    @Override
    public List<TaskExample> generate(long seed, int count) {
        Random rng = new Random(seed);
        List<TaskExample> examples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean back = rng.nextBoolean();
            List<String> moves = rng.nextBoolean() ? fixedFacingWalk(rng, back) : turningWalk(rng, back);
            String input = QUESTION + " " + String.join(" ", moves) + OPTIONS;
            examples.add(new TaskExample(input, solve(input)));
        }
        return examples;
    }

    private static List<String> fixedFacingWalk(Random rng, boolean back) {
        String[] dirs = {"forward", "right", "backward", "left"};
        List<String> moves = new ArrayList<>();
        int x = 0, y = 0;
        int n = 2 + rng.nextInt(6);
        for (int i = 0; i < n; i++) {
            int d = rng.nextInt(4);
            int s = 1 + rng.nextInt(10);
            x += DX[d] * s;
            y += DY[d] * s;
            moves.add(take(s, dirs[d]));
        }
        if (back) {
            addFixedReturn(moves, rng, Math.abs(x), x > 0 ? "left" : "right");
            addFixedReturn(moves, rng, Math.abs(y), y > 0 ? "backward" : "forward");
            Collections.shuffle(moves, rng);
        } else if (x == 0 && y == 0) {
            moves.add(take(1 + rng.nextInt(10), dirs[rng.nextInt(4)]));
        }
        moves.addFirst("Always face forward.");
        return moves;
    }

    private static void addFixedReturn(List<String> moves, Random rng, int distance, String dir) {
        if (distance == 0) return;
        if (distance > 1 && rng.nextBoolean()) {
            int part = 1 + rng.nextInt(distance - 1);
            moves.add(take(part, dir));
            moves.add(take(distance - part, dir));
        } else {
            moves.add(take(distance, dir));
        }
    }

    private static List<String> turningWalk(Random rng, boolean back) {
        String[] turns = {"", "Turn right.", "Turn around.", "Turn left."};
        List<String> moves = new ArrayList<>();
        State s = new State(0, 0, 0);
        int n = 2 + rng.nextInt(5);
        for (int i = 0; i < n; i++) {
            String text = rng.nextInt(10) < 3 ? turns[1 + rng.nextInt(3)] : take(1 + rng.nextInt(10), null);
            moves.add(text);
            s = apply(s, text);
        }
        if (back) {
            // head along x to x = 0, then along y to y = 0, turning as needed
            if (s.x() != 0) s = headAndWalk(moves, s, s.x() > 0 ? 3 : 1, Math.abs(s.x()), turns);
            if (s.y() != 0) s = headAndWalk(moves, s, s.y() > 0 ? 2 : 0, Math.abs(s.y()), turns);
        } else if (s.atStart()) {
            moves.add(take(1 + rng.nextInt(10), null));
        }
        return moves;
    }

    private static State headAndWalk(List<String> moves, State s, int heading, int distance, String[] turns) {
        int diff = Math.floorMod(heading - s.heading(), 4);
        if (diff != 0) {
            moves.add(turns[diff]);
            s = apply(s, turns[diff]);
        }
        String step = take(distance, null);
        moves.add(step);
        return apply(s, step);
    }

    private static State apply(State s, String text) {
        Matcher m = MOVE.matcher(text);
        if (!m.find()) throw new IllegalStateException("not a move: " + text);
        return s.apply(Move.parse(m));
    }

    private static String take(int steps, String dir) {
        return "Take " + steps + (steps == 1 ? " step" : " steps") + (dir == null ? "" : " " + dir) + ".";
    }

    static List<Move> moves(String input) {
        List<Move> moves = new ArrayList<>();
        Matcher m = MOVE.matcher(input);
        while (m.find()) moves.add(Move.parse(m));
        return moves;
    }

    static List<State> walk(List<Move> moves) {
        List<State> states = new ArrayList<>(moves.size() + 1);
        State s = new State(0, 0, 0);
        states.add(s);
        for (Move move : moves) {
            s = s.apply(move);
            states.add(s);
        }
        return states;
    }

    private static State end(String input) {
        List<Move> moves = moves(input);
        if (moves.isEmpty()) throw new IllegalArgumentException("no navigation instructions in: " + input);
        return walk(moves).getLast();
    }

    @Override
    public String solve(String input) {
        return end(input).atStart() ? "Yes" : "No";
    }

    @Override
    public boolean recognizes(String text) {
        return RECOGNISE.matcher(text).find();
    }

    @Override
    public List<String> outputClasses() {
        return CLASSES;
    }

    @Override
    public String initialInstruction() {
        return "Decide whether the walk returns to where it began.";
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
        return 0.35;
    }

    @Override
    public String intermediate(String input) {
        return end(input).position();
    }

    @Override
    public Judgement judge(String input, String analysis) {
        Matcher m = POSITION.matcher(analysis);
        String last = null;
        while (m.find()) last = "(" + Integer.parseInt(m.group(1)) + ", " + Integer.parseInt(m.group(2)) + ")";
        if (last == null) return Judgement.NONE;
        return last.equals(intermediate(input)) ? Judgement.RIGHT : Judgement.WRONG;
    }

    @Override
    public List<String> analyses(String input, boolean right) {
        List<Move> moves = moves(input);
        if (moves.isEmpty()) throw new IllegalArgumentException("no navigation instructions in: " + input);
        List<List<Move>> versions = right ? List.of(moves) : mistakes(input, moves);
        List<String> texts = new ArrayList<>();
        for (List<Move> version : versions) {
            List<State> states = walk(version);
            texts.add(trace(version, states));
            texts.add(positions(version, states));
            texts.add(net(states));
        }
        return texts;
    }

    /** Two misreadings of the walk that end somewhere else: a step or turn taken the wrong way, or a step forgotten. */
    private static List<List<Move>> mistakes(String input, List<Move> moves) {
        State truth = walk(moves).getLast();
        Random rng = new Random(Texts.stableHash(input));
        List<List<Move>> options = new ArrayList<>();
        for (int i = 0; i < moves.size(); i++) {
            Move m = moves.get(i);
            if (m.turn() && m.quarters() == 0) continue;
            List<Move> flipped = new ArrayList<>(moves);
            flipped.set(i, m.turn()
                    ? new Move(true, (4 - m.quarters()) % 4 == m.quarters() ? 0 : 4 - m.quarters(), 0, m.text())
                    : new Move(false, (m.quarters() + 2) % 4, m.steps(), m.text()));
            options.add(flipped);
            if (!m.turn()) {
                List<Move> forgotten = new ArrayList<>(moves);
                forgotten.remove(i);
                options.add(forgotten);
            }
        }
        Collections.shuffle(options, rng);
        List<List<Move>> chosen = new ArrayList<>();
        for (List<Move> option : options) {
            if (chosen.size() == 2) break;
            State end = walk(option).getLast();
            if (end.x() != truth.x() || end.y() != truth.y()) chosen.add(option);
        }
        if (chosen.isEmpty()) {
            // nothing else changes the end point: claim one step too many ahead
            List<Move> extra = new ArrayList<>(moves);
            extra.add(new Move(false, 0, 1, "Take 1 step."));
            chosen.add(extra);
        }
        return chosen;
    }

    private static String verdict(State end) {
        return end.atStart() ? ", which is the starting point." : ", which is not the starting point.";
    }

    private static String trace(List<Move> moves, List<State> states) {
        StringBuilder sb = new StringBuilder("Start at (0, 0) facing north.");
        for (int i = 0; i < moves.size(); i++) {
            Move m = moves.get(i);
            State after = states.get(i + 1);
            if (m.turn()) {
                if (m.quarters() != 0) sb.append(" Turn to face ").append(HEADING[after.heading()]).append('.');
            } else {
                sb.append(' ').append(m.steps()).append(" to the ")
                        .append(HEADING[(states.get(i).heading() + m.quarters()) % 4])
                        .append(": ").append(after.position()).append('.');
            }
        }
        State end = states.getLast();
        return sb.append(" The walk ends at ").append(end.position()).append(verdict(end)).toString();
    }

    private static String positions(List<Move> moves, List<State> states) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < moves.size(); i++) {
            if (!moves.get(i).turn()) seen.add(states.get(i + 1).position());
        }
        State end = states.getLast();
        return "Positions after each step: " + String.join(", ", seen) + ". Final position " + end.position()
                + verdict(end);
    }

    private static String net(List<State> states) {
        State end = states.getLast();
        return "Adding up the moves gives x = " + end.x() + " and y = " + end.y() + ", so the walk ends at "
                + end.position() + verdict(end);
    }
}
