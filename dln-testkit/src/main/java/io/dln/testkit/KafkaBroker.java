package io.dln.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The real Kafka broker tests talk to: the one at {@code dln.kafka.bootstrap} (system property, or the
 * environment variable {@code DLN_KAFKA_BOOTSTRAP}), by default 127.0.0.1:9092. When nothing answers there,
 * {@code scripts/kafka.sh start} starts one (it keeps running for later tests and other modules).
 */
public final class KafkaBroker {

    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    private static final long START_TIMEOUT_SECONDS = 300; // the first start may fetch the Kafka jars

    private KafkaBroker() {
    }

    /** @return the bootstrap address of a broker that answers */
    public static synchronized String ensureRunning() {
        String bootstrap = configuredBootstrap();
        if (answers(bootstrap)) return bootstrap;
        InetSocketAddress address = parse(bootstrap);
        if (!address.getAddress().isLoopbackAddress()) {
            throw new IllegalStateException("the Kafka broker at " + bootstrap + " (dln.kafka.bootstrap) does not answer");
        }
        startWithScript(address.getPort());
        if (!answers(bootstrap)) {
            throw new IllegalStateException("scripts/kafka.sh start succeeded but " + bootstrap + " does not answer");
        }
        return bootstrap;
    }

    public static String configuredBootstrap() {
        String value = System.getProperty("dln.kafka.bootstrap");
        if (value == null || value.isBlank()) value = System.getenv("DLN_KAFKA_BOOTSTRAP");
        return value == null || value.isBlank() ? DEFAULT_BOOTSTRAP : value.strip();
    }

    static boolean answers(String bootstrap) {
        try (Socket socket = new Socket()) {
            socket.connect(parse(bootstrap), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static InetSocketAddress parse(String bootstrap) {
        String first = bootstrap.split(",")[0].strip();
        int colon = first.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("bootstrap address must be host:port, was '" + bootstrap + "'");
        return new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)));
    }

    /** Test JVMs of several modules may get here at once: a file lock lets one of them start the broker. */
    private static void startWithScript(int port) {
        Path root = Repository.root();
        Path lockFile = root.resolve(".dln/kafka-start.lock");
        Path log = root.resolve(".dln/kafka-start.log");
        try {
            Files.createDirectories(lockFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (answers("127.0.0.1:" + port)) return;
                runScript(root, port, log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Kafka with scripts/kafka.sh", e);
        }
    }

    private static void runScript(Path root, int port, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("scripts/kafka.sh").toString(), "start")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("KAFKA_PORT", String.valueOf(port));
        builder.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        try {
            if (!process.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("scripts/kafka.sh start did not finish within " + START_TIMEOUT_SECONDS
                        + " s; see " + log);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("scripts/kafka.sh start failed (exit " + process.exitValue() + "):\n"
                    + ServiceProcess.tail(log, 30));
        }
    }
}
