import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Tiny admin helper for scripts/kafka.sh, compiled by the script into kafka/target/admin-classes and
 * run against the jars in kafka/target/lib (kafka-clients' Admin). One JVM does what would take
 * one kafka-topics JVM per topic.
 *
 * <pre>
 * KafkaAdmin ensure BOOTSTRAP TOPICS_FILE DEFAULT_PARTITIONS TIMEOUT_SECONDS
 *     waits until the broker serves metadata, creates the missing topics of TOPICS_FILE and waits
 *     until every partition of them has a leader (so producers and consumers work at once);
 *     warns when an existing topic has another partition count than the file asks for.
 * KafkaAdmin list BOOTSTRAP [--all]
 *     prints "topic partitions" for every topic (--all: internal topics too).
 * </pre>
 *
 * TOPICS_FILE (kafka/topics.txt): one topic a line, "name partitions", where partitions is a number
 * or "default" (= DEFAULT_PARTITIONS, i.e. KAFKA_PARTITIONS); '#' starts a comment.
 */
public final class KafkaAdmin {

    public static void main(String[] args) throws Exception {
        if (args.length >= 5 && args[0].equals("ensure")) {
            System.exit(ensure(args[1], Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4])));
        } else if (args.length >= 2 && args[0].equals("list")) {
            System.exit(list(args[1], args.length > 2 && args[2].equals("--all")));
        }
        System.err.println("usage: KafkaAdmin ensure BOOTSTRAP TOPICS_FILE DEFAULT_PARTITIONS TIMEOUT_SECONDS"
                + " | list BOOTSTRAP [--all]");
        System.exit(2);
    }

    static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "dln-kafka-sh");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, "100");
        p.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, "500");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "100");
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        return Admin.create(p);
    }

    /** name -> partitions, in file order. */
    static Map<String, Integer> readTopics(Path file, int defaultPartitions) throws Exception {
        Map<String, Integer> topics = new LinkedHashMap<>();
        int lineNo = 0;
        for (String raw : Files.readAllLines(file)) {
            lineNo++;
            String line = raw.replaceFirst("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 2) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": expected 'name partitions', got '" + raw + "'");
            }
            int n = f[1].equals("default") ? defaultPartitions : Integer.parseInt(f[1]);
            if (n < 1) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": partitions must be >= 1");
            }
            topics.put(f[0], n);
        }
        return topics;
    }

    static int ensure(String bootstrap, Path topicsFile, int defaultPartitions, int timeoutSeconds) throws Exception {
        Map<String, Integer> wanted = readTopics(topicsFile, defaultPartitions);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        Throwable last = null;
        List<String> created = new ArrayList<>();
        try (Admin admin = admin(bootstrap)) {
            while (System.nanoTime() < deadline) {
                try {
                    Collection<Node> nodes = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    if (nodes.isEmpty()) {
                        throw new IllegalStateException("no broker registered yet");
                    }
                    var existing = admin.listTopics().names().get(3, TimeUnit.SECONDS);
                    List<NewTopic> missing = new ArrayList<>();
                    wanted.forEach((name, n) -> {
                        if (!existing.contains(name)) {
                            missing.add(new NewTopic(name, Optional.of(n), Optional.empty()));
                        }
                    });
                    if (!missing.isEmpty()) {
                        for (var e : admin.createTopics(missing).values().entrySet()) {
                            try {
                                e.getValue().get(5, TimeUnit.SECONDS);
                                created.add(e.getKey());
                            } catch (ExecutionException ex) {
                                if (!(ex.getCause() instanceof TopicExistsException)) {
                                    throw ex;
                                }
                            }
                        }
                    }
                    Map<String, TopicDescription> described =
                            admin.describeTopics(wanted.keySet()).allTopicNames().get(3, TimeUnit.SECONDS);
                    for (TopicDescription d : described.values()) {
                        for (TopicPartitionInfo p : d.partitions()) {
                            if (p.leader() == null || p.leader().isEmpty()) {
                                throw new IllegalStateException(d.name() + "-" + p.partition() + " has no leader yet");
                            }
                        }
                    }
                    int mismatches = 0;
                    for (var e : wanted.entrySet()) {
                        int actual = described.get(e.getKey()).partitions().size();
                        if (actual != e.getValue()) {
                            mismatches++;
                            System.err.printf("WARNING: topic %s has %d partitions, %s asks for %d"
                                            + " (partition counts are only applied at creation: run 'scripts/kafka.sh reset')%n",
                                    e.getKey(), actual, topicsFile.getFileName(), e.getValue());
                        }
                    }
                    System.out.printf("topics ready: %d (%d created, %d existing%s)%n", wanted.size(), created.size(),
                            wanted.size() - created.size(), mismatches == 0 ? "" : ", " + mismatches + " with another partition count");
                    return 0;
                } catch (Exception e) {
                    last = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                    if (String.valueOf(last.getMessage()).contains("AdminClient thread has exited")) {
                        break; // e.g. the port is not a Kafka broker: retrying is pointless
                    }
                    Thread.sleep(250);
                }
            }
        }
        System.err.println("broker at " + bootstrap + " not ready (timeout " + timeoutSeconds + " s): " + last);
        return 1;
    }

    static int list(String bootstrap, boolean all) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            var names = admin.listTopics(new ListTopicsOptions().listInternal(all)).names().get(10, TimeUnit.SECONDS);
            Map<String, TopicDescription> described =
                    new TreeMap<>(admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS));
            int width = described.keySet().stream().mapToInt(String::length).max().orElse(5);
            System.out.printf("%-" + width + "s  %s%n", "TOPIC", "PARTITIONS");
            described.forEach((name, d) -> System.out.printf("%-" + width + "s  %d%n", name, d.partitions().size()));
            return 0;
        } catch (ExecutionException e) {
            System.err.println("cannot list topics at " + bootstrap + ": " + e.getCause());
            return 1;
        }
    }

    private KafkaAdmin() {
    }
}
