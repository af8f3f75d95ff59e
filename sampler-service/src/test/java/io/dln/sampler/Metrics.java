package io.dln.sampler;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/** Reads one value from the Prometheus text at /q/metrics. */
final class Metrics {

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)$", Pattern.MULTILINE);

    private Metrics() {
    }

    /** The sum over the series of {@code name} carrying every one of {@code tags} ("key=value"); 0 when there is none. */
    static double sum(String name, String... tags) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
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
}
