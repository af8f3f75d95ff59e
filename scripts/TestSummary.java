import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The end of './dln test': one line per module with the tests run, failed and skipped, a total, and each skipped or
 * failed test with its reason, read from the surefire and failsafe XML reports written since a given time (so reports
 * of earlier builds do not count). Run as a source file: java scripts/TestSummary.java ROOT SINCE_EPOCH_MILLIS
 */
public class TestSummary {

    record Counts(int tests, int failed, int skipped) {
        Counts plus(Counts o) {
            return new Counts(tests + o.tests, failed + o.failed, skipped + o.skipped);
        }
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        long since = Long.parseLong(args[1]);
        Map<String, Counts> modules = new LinkedHashMap<>();
        for (String module : modules(root)) modules.put(module, null);
        Map<String, List<String>> skips = new LinkedHashMap<>(); // module, class and reason: the tests skipped for it
        List<String> failures = new ArrayList<>();
        var factory = DocumentBuilderFactory.newInstance();
        for (String module : new ArrayList<>(modules.keySet())) {
            for (String kind : List.of("surefire-reports", "failsafe-reports")) {
                Path dir = root.resolve(module).resolve("target").resolve(kind);
                if (!Files.isDirectory(dir)) continue;
                List<Path> reports;
                try (Stream<Path> files = Files.list(dir)) {
                    reports = files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml"))
                            .filter(f -> f.toFile().lastModified() >= since).sorted().toList();
                }
                for (Path report : reports) {
                    Document doc = factory.newDocumentBuilder().parse(report.toFile());
                    NodeList cases = doc.getElementsByTagName("testcase");
                    int tests = 0, failed = 0, skipped = 0;
                    for (int i = 0; i < cases.getLength(); i++) {
                        Element test = (Element) cases.item(i);
                        tests++;
                        String name = shortClass(test.getAttribute("classname")) + "." + test.getAttribute("name");
                        Element skip = child(test, "skipped");
                        Element failure = child(test, "failure") != null ? child(test, "failure") : child(test, "error");
                        if (skip != null) {
                            skipped++;
                            skips.merge(module + "\t" + shortClass(test.getAttribute("classname")) + "\t" + reason(skip),
                                    new ArrayList<>(List.of(test.getAttribute("name"))), (a, b) -> { a.addAll(b); return a; });
                        } else if (failure != null) {
                            failed++;
                            failures.add(String.format("  %-16s %s: %s", module, name, reason(failure)));
                        }
                    }
                    Counts counts = new Counts(tests, failed, skipped);
                    modules.merge(module, counts, (a, b) -> a == null ? b : a.plus(b));
                }
            }
        }
        Counts total = new Counts(0, 0, 0);
        System.out.println();
        System.out.println("Tests of this run (from the surefire and failsafe reports):");
        System.out.printf("  %-16s %6s %7s %8s%n", "module", "run", "failed", "skipped");
        for (Map.Entry<String, Counts> m : modules.entrySet()) {
            Counts c = m.getValue();
            if (c == null) continue;
            total = total.plus(c);
            System.out.printf("  %-16s %6d %7d %8d%n", m.getKey(), c.tests - c.skipped, c.failed, c.skipped);
        }
        System.out.printf("  %-16s %6d %7d %8d%n", "total", total.tests - total.skipped, total.failed, total.skipped);
        System.out.println("  (run: tests that ran, failed ones included; skipped tests did not run)");
        if (!skips.isEmpty()) {
            System.out.println("Skipped, with the reason:");
            skips.forEach((key, tests) -> {
                String[] parts = key.split("\t", 3);
                String which = tests.size() == 1 ? parts[1] + "." + tests.getFirst() : parts[1] + " (" + tests.size() + " tests)";
                System.out.printf("  %-16s %s: %s%n", parts[0], which, parts[2]);
            });
        }
        if (!failures.isEmpty()) {
            System.out.println("Failed:");
            failures.forEach(System.out::println);
        }
    }

    /** The reactor's modules in the root pom's order. */
    private static List<String> modules(Path root) throws Exception {
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(root.resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (m.find()) modules.add(m.group(1).strip());
        return modules;
    }

    private static Element child(Element parent, String tag) {
        NodeList list = parent.getElementsByTagName(tag);
        return list.getLength() == 0 ? null : (Element) list.item(0);
    }

    private static String reason(Element e) {
        String message = e.getAttribute("message");
        if (message.isBlank()) message = e.getTextContent() == null ? "" : e.getTextContent().strip().lines().findFirst().orElse("");
        if (message.isBlank()) message = "(no reason given)";
        message = message.replaceAll("\\s+", " ").replaceFirst("^org\\.opentest4j\\.TestAbortedException: ", "")
                .replaceFirst("^Assumption failed: ", "");
        return message.length() > 300 ? message.substring(0, 297) + "..." : message;
    }

    private static String shortClass(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    static {
        // the reports may name a DTD or entities; nothing is fetched from outside
        System.setProperty("javax.xml.accessExternalDTD", "");
        System.setProperty("javax.xml.accessExternalSchema", "");
    }
}
