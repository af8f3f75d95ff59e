package io.dln.deploy;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * External command-line tools the checks use: kubectl (kustomize), promtool, docker compose / docker-compose.
 * A missing tool skips the check with its reason printed, unless DLN_DEPLOY_TESTS_REQUIRE_TOOLS=true, which turns
 * the skip into a failure (for a CI machine known to have them).
 */
final class Tools {

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private Tools() {
    }

    /** The executable {@code name} on the PATH, if any. */
    static Optional<Path> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** The executable, or the test is skipped (failed when tools are required) with {@code why}. */
    static Path require(String name, String why) {
        Optional<Path> tool = find(name);
        if (tool.isPresent()) return tool.get();
        skipOrFail(name + " is not installed: " + why);
        throw new AssertionError("unreachable");
    }

    static void skipOrFail(String reason) {
        String message = "SKIPPED: " + reason;
        System.out.println("[deploy-tests] " + message);
        if ("true".equalsIgnoreCase(System.getenv("DLN_DEPLOY_TESTS_REQUIRE_TOOLS"))) fail(reason);
        Assumptions.abort(reason);
    }

    /** Runs a command in {@code dir}, stdout and stderr together, at most {@code timeoutSeconds}. */
    static Result run(Path dir, long timeoutSeconds, List<String> command) {
        try {
            Path out = Files.createTempFile("deploy-tests-", ".out");
            try {
                Process process = new ProcessBuilder(new ArrayList<>(command))
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
                process.getOutputStream().close();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** First line of {@code command --version}-like output, for the report. */
    static String version(Path dir, List<String> command) {
        Result r = run(dir, 30, command);
        return r.output().lines().filter(l -> !l.isBlank()).findFirst().orElse("?").strip();
    }
}
