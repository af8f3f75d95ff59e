package io.dln.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Quarkus application ({@code target/quarkus-app/quarkus-run.jar} of a module) running as a separate JVM on a
 * free port, with its console written to {@code target/processes/<module>-<port>.log} of the working directory.
 * It runs from a copy of {@code quarkus-app}, so rebuilding the module meanwhile does not pull jars from under it.
 * {@link #start()} returns once {@code /q/health/ready} answers 200.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String module;
    private final int port;
    private final Process process;
    private final Path log;
    private final Path app;
    private final Thread killOnExit;

    private ServiceProcess(String module, int port, Process process, Path log, Path app) {
        this.module = module;
        this.port = port;
        this.process = process;
        this.log = log;
        this.app = app;
        this.killOnExit = new Thread(process::destroyForcibly, "kill-" + module);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    public static Builder builder(String module) {
        return new Builder(module);
    }

    public static final class Builder {
        private final String module;
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> jvmArgs = defaultJvmArgs();
        private Duration readyTimeout = Duration.ofSeconds(90);
        private String missingJarHint;

        /**
         * A 256 MB heap, the serial collector, and what the system property {@code testkit.service-jvm-args} adds
         * (space-separated; not under {@code dln.}, whose keys the services validate): the suite's build runs its
         * services with the client JIT only, since on two cores the server compiler's threads take more CPU than these
         * short-lived processes win back; benchmarks leave it out.
         */
        private static List<String> defaultJvmArgs() {
            List<String> args = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC"));
            String extra = System.getProperty("testkit.service-jvm-args", "").trim();
            if (!extra.isEmpty()) args.addAll(List.of(extra.split("\\s+")));
            return args;
        }

        private Builder(String module) {
            this.module = module;
        }

        public Builder systemProperty(String key, String value) {
            systemProperties.put(key, value);
            return this;
        }

        public Builder systemProperties(Map<String, String> properties) {
            systemProperties.putAll(properties);
            return this;
        }

        public Builder env(String key, String value) {
            environment.put(key, value);
            return this;
        }

        /** Replaces the default JVM options ({@code -Xmx256m -XX:+UseSerialGC}). */
        public Builder jvmArgs(List<String> args) {
            jvmArgs.clear();
            jvmArgs.addAll(args);
            return this;
        }

        public Builder readyTimeout(Duration timeout) {
            readyTimeout = timeout;
            return this;
        }

        Builder missingJarHint(String hint) {
            missingJarHint = hint;
            return this;
        }

        public ServiceProcess start() {
            Path jar = Repository.quarkusJar(module);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: " + (missingJarHint != null ? missingJarHint
                        : "build " + module + " first: ./mvnw -pl " + module + " -am package -DskipTests"));
            }
            int port = FreePorts.next();
            Path processes = Path.of("target", "processes").toAbsolutePath();
            Path log = processes.resolve(module + "-" + port + ".log");
            Path app = processes.resolve(module + "-" + port + "-app");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmArgs);
            command.add("-Dquarkus.http.port=" + port);
            systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-jar");
            command.add(app.resolve(jar.getFileName()).toString());
            ServiceProcess started;
            try {
                Files.createDirectories(processes);
                copyTree(jar.getParent(), app);
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(app.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                builder.environment().putAll(environment);
                started = new ServiceProcess(module, port, builder.start(), log, app);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + module, e);
            }
            started.awaitReady(readyTimeout);
            return started;
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (true) {
            if (!process.isAlive()) {
                forget();
                throw new IllegalStateException(module + " exited with " + process.exitValue() + " while starting; last lines of "
                        + log + ":\n" + tail(log, 40));
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                kill9();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + module, e);
            }
            if (System.nanoTime() > deadline) {
                kill9();
                throw new IllegalStateException(module + " was not ready within " + timeout.toSeconds() + " s; last lines of "
                        + log + ":\n" + tail(log, 40));
            }
            sleep(100);
        }
    }

    public String module() {
        return module;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as a crash would: no shutdown hooks, no offsets committed on the way out. */
    public void kill9() {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.toHandle().destroyForcibly();
        waitForExit(Duration.ofSeconds(10));
        forget();
    }

    /** SIGSTOP: the process stays alive and connected but does no work until {@link #thaw()}, like a worker in a long pause. */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT: a frozen process carries on where it stopped. */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + name, Long.toString(process.pid())));
        process.toHandle().descendants().forEach(child -> command.add(Long.toString(child.pid())));
        try {
            int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
            if (exit != 0) throw new IllegalStateException("kill -" + name + " of " + this + " exited with " + exit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, so the service shuts down gracefully; SIGKILL if it has not exited after 30 s. */
    public void stop() {
        if (process.isAlive()) {
            process.destroy();
            if (!waitForExit(Duration.ofSeconds(30))) process.destroyForcibly();
            waitForExit(Duration.ofSeconds(10));
        }
        forget();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return module + " (pid " + process.pid() + ", " + baseUrl() + ", log " + log + ")";
    }

    private boolean waitForExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void forget() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook will run
        }
        if (!process.isAlive()) deleteTree(app);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Files.copy(source, to.resolve(from.relativize(source).toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover copy under target/ does no harm
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
