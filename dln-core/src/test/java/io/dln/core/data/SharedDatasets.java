package io.dln.core.data;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The shared benchmark data sets for tests: found through system property
 * {@value Datasets#DIR_PROPERTY} (surefire sets it to ../shared/datasets) or env
 * {@value Datasets#DIR_ENV}. When they are absent a test using them is skipped, with the reason
 * shown, except on CI (env CI=true), where their absence is a failure.
 */
public final class SharedDatasets {

    private static boolean told;

    private SharedDatasets() {
    }

    /** The data sets directory; skips (or on CI fails) the calling test when it is absent. */
    public static Path dir() {
        Optional<Path> dir = Datasets.configuredDir();
        if (dir.isPresent() && Files.isDirectory(dir.get())) return dir.get();
        String reason = dir.map(d -> "shared data sets not found at " + d)
                .orElse("shared data sets directory not configured")
                + " (set -D" + Datasets.DIR_PROPERTY + " or " + Datasets.DIR_ENV + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(reason + "; they are required when CI=true");
        if (!told) {
            told = true; // on the console once, besides each skipped test's report
            System.out.println("[dln-core] tests that read the shared data sets are skipped: " + reason);
        }
        Assumptions.assumeTrue(false, reason);
        throw new AssertionError("unreachable");
    }

    /** A file or folder under the data sets directory; skips like {@link #dir()}. */
    public static Path resolve(String relative) {
        return dir().resolve(relative);
    }
}
