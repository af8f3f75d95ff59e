package io.dln.testkit;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestkitTest {

    @Test
    void freePortsAreDistinct() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 20; i++) assertTrue(ports.add(FreePorts.next()));
    }

    @Test
    void findsTheRepositoryRoot() {
        assertTrue(Files.isRegularFile(Repository.root().resolve("scripts/kafka.sh")));
    }

    @Test
    void missingJarSaysHowToBuildIt() {
        var e = assertThrows(IllegalStateException.class, () -> ServiceProcess.builder("no-such-module").start());
        assertTrue(e.getMessage().contains("build no-such-module first: ./mvnw -pl no-such-module -am package"), e.getMessage());
    }

    @Test
    void bootstrapDefaultsToLoopback() {
        String saved = System.getProperty("dln.kafka.bootstrap");
        try {
            System.setProperty("dln.kafka.bootstrap", " 10.0.0.1:19092 ");
            assertEquals("10.0.0.1:19092", KafkaBroker.configuredBootstrap());
            System.clearProperty("dln.kafka.bootstrap");
            if (System.getenv("DLN_KAFKA_BOOTSTRAP") == null) {
                assertEquals(KafkaBroker.DEFAULT_BOOTSTRAP, KafkaBroker.configuredBootstrap());
            }
        } finally {
            if (saved != null) System.setProperty("dln.kafka.bootstrap", saved);
        }
    }
}
