package io.dln.gateway;

import io.dln.gateway.support.Api;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.dln.gateway.support.SseClient;
import io.dln.messages.MessageCodec;
import io.dln.messages.RunEvent;
import io.dln.messages.Topics;
import io.dln.testkit.KafkaBroker;
import io.dln.testkit.KafkaTestClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Progress streams fed by RunEvents published to the real Kafka broker, as a trainer publishes them. */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class RunEventsTest {

    private static KafkaTestClient kafka;
    private final String tenant = Api.tenant("events");
    private String key;
    private String dataset;

    @BeforeAll
    static void kafka() {
        kafka = new KafkaTestClient(KafkaBroker.ensureRunning());
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @BeforeEach
    void data() {
        key = Api.key(tenant, "trainer");
        dataset = Fixtures.dataset(key, "events-data");
        // the gateway reads the events topic from its end once it is positioned
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void streamsTheStateThenTheTrainersEventsAndEndsWithTheRun() throws Exception {
        String run = Fixtures.run(key, dataset, "streamed");
        String other = Fixtures.run(key, dataset, "not-streamed");
        try (SseClient sse = new SseClient("/api/runs/" + run + "/events", key)) {
            assertEquals(200, sse.status());
            SseClient.Event state = sse.next(Duration.ofSeconds(10));
            assertNotNull(state);
            assertEquals("state", state.name());
            assertTrue(state.data().contains("\"status\":\"QUEUED\""), state.data());

            publish(event(run, "STARTED", 0, null));
            publish(event(other, "ITERATION", 1, 0.9));
            publish(event(run, "ITERATION", 1, 0.6));
            publish(event(run, "ITERATION", 2, 0.7));
            publish(event(run, "EVALUATING", 3, null));
            publish(event(run, "FINISHED", 3, 0.7));
            publish(event(run, "ITERATION", 4, 0.1)); // after the end: nobody listens any more

            List<SseClient.Event> events = sse.untilEnd(Duration.ofSeconds(20));
            assertEquals(List.of("started", "iteration", "iteration", "evaluating", "finished"),
                    events.stream().map(SseClient.Event::name).toList());
            RunEvent second = MessageCodec.fromJson(events.get(2).data(), RunEvent.class);
            assertEquals(run, second.runId());
            assertEquals(2, second.iteration());
            assertEquals(0.7, second.devAccuracy());
        }
    }

    @Test
    void everyEventHasAnIdAndAStreamResumedWithLastEventIdGetsWhatItMissed() throws Exception {
        String run = Fixtures.run(key, dataset, "resumed");
        String lastId;
        try (SseClient sse = new SseClient("/api/runs/" + run + "/events", key)) {
            SseClient.Event state = sse.next(Duration.ofSeconds(10));
            assertEquals("state", state.name());
            assertNotNull(state.id(), "the state event has an id");
            publish(event(run, "STARTED", 0, null));
            publish(event(run, "ITERATION", 1, 0.5));
            SseClient.Event started = sse.next(Duration.ofSeconds(10));
            SseClient.Event first = sse.next(Duration.ofSeconds(10));
            assertEquals(List.of("started", "iteration"), List.of(started.name(), first.name()));
            assertNotNull(started.id());
            assertNotNull(first.id());
            assertTrue(!started.id().equals(first.id()), "ids differ");
            lastId = first.id();
        } // the connection drops here; the run goes on
        publish(event(run, "ITERATION", 2, 0.6));
        publish(event(run, "ITERATION", 3, 0.7));
        try (SseClient resumed = new SseClient("/api/runs/" + run + "/events", key, lastId)) {
            assertEquals(200, resumed.status());
            SseClient.Event second = resumed.next(Duration.ofSeconds(10));
            SseClient.Event third = resumed.next(Duration.ofSeconds(10));
            assertEquals("iteration", second.name(), "no state: the client has seen it; the missed events come first");
            assertEquals(2, MessageCodec.fromJson(second.data(), RunEvent.class).iteration());
            assertEquals(3, MessageCodec.fromJson(third.data(), RunEvent.class).iteration());
            publish(event(run, "FINISHED", 3, 0.7));
            List<SseClient.Event> rest = resumed.untilEnd(Duration.ofSeconds(20));
            assertEquals(List.of("finished"), rest.stream().map(SseClient.Event::name).toList(), "each event once");
            assertNotNull(rest.getFirst().id());
        }
        // a stream resumed after the run has ended gets the events it missed and ends
        try (SseClient late = new SseClient("/api/runs/" + run + "/events", key, lastId)) {
            assertEquals(List.of("iteration", "iteration", "finished"),
                    late.untilEnd(Duration.ofSeconds(20)).stream().map(SseClient.Event::name).toList());
        }
        // an id that is not one of ours starts the stream afresh, with the state
        try (SseClient fresh = new SseClient("/api/runs/" + run + "/events", key, "not-an-id")) {
            assertEquals("state", fresh.next(Duration.ofSeconds(10)).name());
        }
    }

    @Test
    void idleStreamsGetOnlyKeepAliveComments() throws Exception {
        String run = Fixtures.run(key, dataset, "idle");
        try (SseClient sse = new SseClient("/api/runs/" + run + "/events", key)) {
            assertEquals("state", sse.next(Duration.ofSeconds(10)).name());
            // the test profile sends a keep-alive comment every second; clients ignore comments
            assertEquals(null, sse.next(Duration.ofMillis(3_500)));
            assertTrue(sse.comments() >= 2, "keep-alive comments: " + sse.comments());
            publish(event(run, "FAILED", 0, null));
            assertEquals(List.of("failed"), sse.untilEnd(Duration.ofSeconds(20)).stream().map(SseClient.Event::name).toList());
        }
    }

    @Test
    void aRunCancelledByTheGatewayEndsItsStream() throws Exception {
        String run = Fixtures.run(key, dataset, "cancelled-live");
        try (SseClient sse = new SseClient("/api/runs/" + run + "/events", key)) {
            assertEquals("state", sse.next(Duration.ofSeconds(10)).name());
            Api.as(key).post("/api/runs/" + run + "/cancel").then().statusCode(202).body("status", is("CANCELLED"));
            List<SseClient.Event> events = sse.untilEnd(Duration.ofSeconds(20));
            assertEquals("cancelled", events.getLast().name());
        }
    }

    @Test
    void anEndedRunSendsItsStateAndCloses() throws Exception {
        String run = Fixtures.run(key, dataset, "ended");
        Api.as(key).post("/api/runs/" + run + "/cancel").then().statusCode(202);
        try (SseClient sse = new SseClient("/api/runs/" + run + "/events", key)) {
            SseClient.Event state = sse.next(Duration.ofSeconds(10));
            assertTrue(state.data().contains("\"status\":\"CANCELLED\""), state.data());
            assertEquals(List.of(), sse.untilEnd(Duration.ofSeconds(10)));
        }
    }

    @Test
    void unknownRunsAndOtherRolesGetJsonErrors() {
        Api.as(key).accept("text/event-stream").get("/api/runs/" + java.util.UUID.randomUUID() + "/events")
                .then().statusCode(404).contentType(ContentType.JSON).body("error.code", is("not_found"));
        String run = Fixtures.run(key, dataset, "forbidden");
        Api.as(Api.key(tenant, "inference")).accept("text/event-stream").get("/api/runs/" + run + "/events")
                .then().statusCode(403).body("error.code", is("forbidden"));
        given().accept("text/event-stream").get("/api/runs/" + run + "/events").then().statusCode(401);
    }

    private static RunEvent event(String run, String type, int iteration, Double dev) {
        return new RunEvent(run, type, iteration, 3, dev, dev == null ? null : -0.4, null, 100L * iteration, null,
                Map.of(), System.currentTimeMillis());
    }

    private static void publish(RunEvent e) {
        kafka.send(Topics.RUN_EVENTS, e.runId(), MessageCodec.toJson(e));
    }
}
