package io.dln.worker.testing;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/** Reads values from the Prometheus text at /q/metrics of the service under test (or at another URL). */
public final class Metrics {

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)$", Pattern.MULTILINE);

    private Metrics() {
    }

    /** The sum over the series of {@code name} carrying every one of {@code tags} ("key=value"); 0 when there is none. */
    public static double sum(String name, String... tags) {
        return sumAt("/q/metrics", name, tags);
    }

    /** The same, from the metrics page at {@code url}, e.g. the simulator's. */
    public static double sumAt(String url, String name, String... tags) {
        // the plain text format: OpenMetrics (what "*/*" gets) appends trace exemplars to samples when tracing is on
        String text = given().accept("text/plain").get(url).then().statusCode(200).extract().asString();
        double total = 0;
        Matcher m = LINE.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals(name)) continue;
            String labels = m.group(2) == null ? "" : m.group(2);
            boolean all = true;
            for (String tag : tags) {
                String[] kv = tag.split("=", 2);
                all &= labels.contains(kv[0] + "=\"" + kv[1] + "\"");
            }
            if (all) total += Double.parseDouble(m.group(3));
        }
        return total;
    }

    /** Waits up to 10 s for {@link #sum} to reach {@code atLeast}. */
    public static void awaitAtLeast(String name, double atLeast, String... tags) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sum(name, tags) < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " stayed below " + atLeast + ": " + sum(name, tags));
            }
            WorkerClient.sleep(100);
        }
    }
}
