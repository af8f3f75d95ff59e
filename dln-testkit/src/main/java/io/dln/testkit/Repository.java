package io.dln.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the tests run in, found by walking up from the working directory. */
public final class Repository {

    private Repository() {
    }

    /** The nearest directory at or above the working directory holding {@code scripts/kafka.sh} and a {@code pom.xml}. */
    public static Path root() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("scripts/kafka.sh")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("not inside the DLN repository: no scripts/kafka.sh at or above " + start);
    }

    /** {@code target/quarkus-app/quarkus-run.jar} of {@code module}. */
    public static Path quarkusJar(String module) {
        return root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
