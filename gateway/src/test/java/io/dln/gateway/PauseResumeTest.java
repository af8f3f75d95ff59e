package io.dln.gateway;

import io.dln.gateway.support.Api;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.dln.gateway.support.SseClient;
import io.dln.store.RunEntity;
import io.dln.store.RunStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pausing and resuming runs, in guided mode or not, as the gateway sees it (the trainer's side is in pipeline-tests). */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class PauseResumeTest {

    private final String tenant = Api.tenant("pause");
    private String key;
    private String dataset;

    @BeforeEach
    void data() {
        key = Api.key(tenant, "trainer");
        dataset = Fixtures.dataset(key, "pause-data");
    }

    @Test
    void aQueuedRunPausesAtOnceAndResumesIntoTheQueue() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        String id = Fixtures.run(key, dataset, "paused-at-once");
        try (SseClient sse = new SseClient("/api/runs/" + id + "/events", key)) {
            assertEquals("state", sse.next(Duration.ofSeconds(10)).name());

            Api.as(key).post("/api/runs/" + id + "/pause").then().statusCode(202).body("status", is("PAUSED"))
                    .body("pauseRequested", is(false)).body("guided", is(false));
            SseClient.Event paused = sse.next(Duration.ofSeconds(20));
            assertNotNull(paused, "a PAUSED event follows");
            assertEquals("paused", paused.name(), paused.data());

            Api.as(key).post("/api/runs/" + id + "/pause").then().statusCode(409).body("error.code", is("run_not_pausable"));
            Api.as(key).get("/api/runs/" + id).then().body("status", is("PAUSED"));
            Api.as(key).queryParam("status", "PAUSED").get("/api/runs").then().body("items[0].id", is(id));

            Api.json(key).body(Map.of("guided", true)).post("/api/runs/" + id + "/resume").then().statusCode(202)
                    .body("status", is("QUEUED")).body("guided", is(true));
            SseClient.Event resumed = sse.next(Duration.ofSeconds(20));
            assertNotNull(resumed, "a RESUMED event follows");
            assertEquals("resumed", resumed.name(), resumed.data());
            assertTrue(resumed.data().contains("\"guided\":true"), resumed.data());
        }
    }

    @Test
    void aRunningRunIsAskedToPauseAfterItsIterationAndResumeWithdrawsTheRequest() {
        String id = Fixtures.run(key, dataset, "paused-later");
        hold(id);

        Api.as(key).post("/api/runs/" + id + "/pause").then().statusCode(202).body("status", is("RUNNING")).body("pauseRequested", is(true));
        Api.as(key).post("/api/runs/" + id + "/resume").then().statusCode(202).body("status", is("RUNNING")).body("pauseRequested", is(false));
        Api.as(key).post("/api/runs/" + id + "/resume").then().statusCode(409).body("error.code", is("run_not_resumable"));
    }

    @Test
    void aGuidedRunSaysSoAndCanLeaveGuidedModeWhenResumed() {
        String id = Api.json(key).body(Map.of("datasetId", dataset, "modelName", "guided", "backend", "simulator", "guided", true,
                "settings", Map.of("iterations", 3))).post("/api/runs").then().statusCode(201).body("guided", is(true)).extract().path("id");
        QuarkusTransaction.requiringNew().run(() -> RunEntity.<RunEntity>findById(UUID.fromString(id)).status = RunStatus.PAUSED);

        Api.json(key).body(Map.of("guided", false, "tokenBudget", 5000)).post("/api/runs/" + id + "/resume").then().statusCode(202)
                .body("status", is("QUEUED")).body("guided", is(false)).body("tokenBudget", is(5000));
        Api.json(key).body(Map.of("guided", "sometimes")).post("/api/runs/" + id + "/resume").then().statusCode(400);
    }

    @Test
    void aPausedRunCanBeCancelledAndEndedRunsCannotBePaused() {
        String id = Fixtures.run(key, dataset, "paused-then-cancelled");
        Api.as(key).post("/api/runs/" + id + "/pause").then().statusCode(202).body("status", is("PAUSED"));
        Api.as(key).post("/api/runs/" + id + "/cancel").then().statusCode(202).body("status", is("CANCELLED"));
        Api.as(key).post("/api/runs/" + id + "/pause").then().statusCode(409);
        Api.as(key).post("/api/runs/" + UUID.randomUUID() + "/pause").then().statusCode(404);
        Api.as(Api.key(Api.tenant("pause-other"), "admin")).post("/api/runs/" + id + "/pause").then().statusCode(404);
        Api.as(Api.key(tenant, "inference")).post("/api/runs/" + id + "/pause").then().statusCode(403);
    }

    /** As a trainer holds a run: RUNNING under a lease that has not run out. */
    static void hold(String id) {
        QuarkusTransaction.requiringNew().run(() -> {
            RunEntity r = RunEntity.findById(UUID.fromString(id));
            r.status = RunStatus.RUNNING;
            r.startedAt = OffsetDateTime.now();
            r.leaseOwner = "trainer-1";
            r.leaseUntil = OffsetDateTime.now().plusMinutes(5);
        });
    }
}
