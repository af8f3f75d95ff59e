package io.dln.pipeline;

import io.dln.testkit.Repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command (the packaged CLI, the ./dln script) as a process, with its output kept in files, within a timeout. */
final class Commands {

    /** Variables of this JVM's environment that would point a child at another gateway, key or LLM server. */
    static final List<String> CLEARED = List.of("DLN_GATEWAY_URL", "DLN_API_KEY", "DLN_LLM_URL", "DLN_LLM_MODEL",
            "DLN_LLM_API_KEY_ENV", "DLN_BACKEND", "CI");

    record Result(int code, String out, String err) {
        String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    private Commands() {
    }

    /** {@code java -jar dln-cli/target/dln.jar args}, with {@code env} added to a cleaned environment. */
    static Result dln(Map<String, String> env, String... args) {
        Path jar = Repository.root().resolve("dln-cli/target/dln.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw -pl dln-cli -am package -DskipTests)");
        }
        // the tests run the CLI dozens of times, one after another: a class-data archive written by the first run (and
        // again whenever the jar changes) lets each later JVM start in less than half the time on a busy machine; the
        // JVM's notes on writing it would go to the command's standard output, so they are off
        Path archive = Path.of("target", "dln-cli.jsa").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive,
                "-Xlog:cds*=off", "-jar", jar.toString()));
        command.addAll(List.of(args));
        return run(command, env, Duration.ofMinutes(5));
    }

    static Result run(List<String> command, Map<String, String> env, Duration timeout) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "commands").toAbsolutePath());
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(Repository.root().toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            CLEARED.forEach(builder.environment()::remove);
            builder.environment().putAll(env);
            Process process = builder.start();
            int code;
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                code = process.exitValue();
            } else {
                process.destroy(); // SIGTERM: the demo script stops what it started
                if (!process.waitFor(90, TimeUnit.SECONDS)) process.destroyForcibly();
                code = -1;
            }
            Result result = new Result(code, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            if (code == -1) throw new AssertionError("timed out after " + timeout.toSeconds() + " s: " + command + "\n" + result);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
