package io.dln.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reading of the services' configuration keys that the manifest checks rely on: it must accept what the
 * services read and refuse near misses, or the checks would pass vacuously.
 */
class ConfigKeysTest {

    @Test
    void theTrainerReadsItsMappingItsPropertiesAndTheVariablesTheyName() {
        ServiceConfig trainer = ServiceConfig.of("trainer-service");
        for (String env : List.of("DLN_TRAINER_MAX_ACTIVE_RUNS", "DLN_TRAINER_LEASE_DURATION", "DLN_TRAINER_RESULTS_PARTITIONS",
                "DLN_TRAINER_INSTANCE_ID", "DLN_TRAINER_BACKENDS_VLLM_ECHO_LOGPROBS", "DLN_TRAINER_BACKENDS_LLM_MAX_TOP_LOGPROBS",
                "DLN_DB_URL", "DLN_DB_USER", "DLN_DB_PASSWORD", "HTTP_PORT", "KAFKA_BOOTSTRAP_SERVERS")) {
            assertTrue(trainer.readsEnv(env), env);
        }
        for (String env : List.of("DLN_TRAINER_MAX_ACTIVE_RUN", "DLN_TRAINER_BACKENDS_VLLM_ECHO_LOGPROB",
                "DLN_TRAINER_BACKENDS_ECHO_LOGPROBS", "DLN_WORKER_MAX_CONCURRENCY", "DLN_SCORER_CACHE_SIZE", "DLN_SIM_URL")) {
            assertFalse(trainer.readsEnv(env), env);
        }
    }

    @Test
    void theWorkersReadTheSharedWorkerAndBackendMappings() {
        for (String module : List.of("sampler-service", "scorer-service")) {
            ServiceConfig worker = ServiceConfig.of(module);
            for (String env : List.of("DLN_WORKER_MAX_CONCURRENCY", "DLN_WORKER_SHUTDOWN_GRACE", "DLN_BACKENDS_LLM_BASE_URL",
                    "DLN_BACKENDS_LLM_API_KEY_ENV", "DLN_BACKENDS_VLLM_CAPABILITIES_TOP_LOGPROBS", "DLN_SIM_URL",
                    "KAFKA_BOOTSTRAP_SERVERS", "HTTP_PORT")) {
                assertTrue(worker.readsEnv(env), module + " " + env);
            }
            // a map key with an underscore cannot be told from the key's separators: not read as meant
            for (String env : List.of("DLN_BACKENDS_MY_LLM_BASE_URL", "DLN_WORKER_MAX_CONCURENCY", "DLN_TRAINER_MAX_ACTIVE_RUNS")) {
                assertFalse(worker.readsEnv(env), module + " " + env);
            }
        }
        assertTrue(ServiceConfig.of("scorer-service").readsEnv("DLN_SCORER_CACHE_SIZE"));
        assertFalse(ServiceConfig.of("sampler-service").readsEnv("DLN_SCORER_CACHE_SIZE"));
    }

    @Test
    void theGatewayAndTheSimulatorReadTheirMappings() {
        ServiceConfig gateway = ServiceConfig.of("gateway");
        for (String env : List.of("DLN_GATEWAY_SECURITY_BOOTSTRAP_ADMIN_KEY", "DLN_GATEWAY_SECURITY_BOOTSTRAP_TENANT",
                "DLN_GATEWAY_RATE_LIMIT_REQUESTS_PER_SECOND", "DLN_GATEWAY_RATE_LIMIT_BURST", "DLN_BACKENDS_SIMULATOR_MODEL",
                "DLN_SIM_URL", "DLN_DB_URL", "DLN_OIDC_ENABLED", "DLN_OIDC_AUTH_SERVER_URL", "DLN_OIDC_AUDIENCE",
                "DLN_OIDC_TENANT_CLAIM", "QUARKUS_OIDC_TENANT_ENABLED", "DLN_GATEWAY_TENANT_DEFAULTS_MAX_KEYS",
                "DLN_GATEWAY_TENANT_DEFAULTS_MAX_TOKENS_PER_DAY", "DLN_GATEWAY_TENANTS_ACME_MAX_CONCURRENT_RUNS",
                "DLN_GATEWAY_LIMITS_BODY_BUDGET")) {
            assertTrue(gateway.readsEnv(env), env);
        }
        assertFalse(gateway.readsEnv("DLN_GATEWAY_SECURITY_ADMIN_KEY"));
        assertFalse(gateway.readsEnv("DLN_OIDC_ENABLE"));
        assertFalse(gateway.readsEnv("DLN_GATEWAY_TENANT_DEFAULTS_MAX_KEY"));
        ServiceConfig simulator = ServiceConfig.of(Repo.SIMULATOR);
        for (String env : List.of("SIMULATOR_SEED", "SIMULATOR_LATENCY_TTFT", "SIMULATOR_CAPACITY_MAX_CONCURRENT", "SIMULATOR_FAULTS_RATE_429")) {
            assertTrue(simulator.readsEnv(env), env);
        }
        assertFalse(simulator.readsEnv("SIMULATOR_LATENCY"));
    }

    @Test
    void listeningPortsFollowTheHttpPortExpressions() {
        assertEquals(8081, ServiceConfig.of("trainer-service").httpPort(Map.of()));
        assertEquals(8080, ServiceConfig.of("trainer-service").httpPort(Map.of("HTTP_PORT", "8080")));
        assertEquals(9000, ServiceConfig.of("trainer-service").httpPort(Map.of("HTTP_PORT", "8080", "QUARKUS_HTTP_PORT", "9000")));
        assertEquals(8000, ServiceConfig.of(Repo.SIMULATOR).httpPort(Map.of("HTTP_PORT", "8080")));
    }

    @Test
    void theTopicListIsRead() {
        Map<String, Integer> topics = Repo.topics();
        assertEquals(Repo.DEFAULT_PARTITIONS, topics.get("dln.score.requests"));
        assertEquals(3, topics.get("dln.run.events"));
        assertTrue(topics.size() >= 7, topics::toString);
    }
}
