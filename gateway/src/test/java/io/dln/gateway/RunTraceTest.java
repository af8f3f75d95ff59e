package io.dln.gateway;

import io.dln.gateway.support.Api;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** The step explorer's data: what each step saw, as the trainer stores it, read back through the API. */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class RunTraceTest {

    private final String tenant = Api.tenant("trace");
    private String key;
    private String runId;

    @BeforeEach
    void run() {
        key = Api.key(tenant, "trainer");
        runId = Fixtures.run(key, Fixtures.dataset(key, "trace-data"), "traced");
        UUID id = UUID.fromString(runId);
        Fixtures.iteration(id, 0, 0.5);
        Fixtures.tracedIteration(id, 1, "prompt after iteration 0", "Answer yes or no, and mind the last digit.");
    }

    @Test
    void showsWhatAStepSawWithTheIterationsMetricsAndCandidates() {
        Api.as(key).get("/api/runs/" + runId + "/iterations/1/trace").then().statusCode(200)
                .body("runId", is(runId)).body("iteration", is(1)).body("layers", is(1))
                .body("promptsBefore.p2", is("prompt after iteration 0"))
                .body("promptsAfter.p2", is("Answer yes or no, and mind the last digit."))
                .body("previousIterationPrompts.p2", is("prompt after iteration 0"))
                .body("batchAccuracy", is(0.5f)).body("elbo", is(-1.25f)).body("elbo1", is(-0.75f)).body("elbo2", is(-0.5f))
                .body("tokensUsed", is(1234)).body("batchSize", is(2))
                .body("examples", hasSize(2))
                .body("examples[0].index", is(0)).body("examples[0].input", is("Is 4 even?")).body("examples[0].target", is("yes"))
                .body("examples[0].hidden", is("4 ends in 4.")).body("examples[0].output", is("no")).body("examples[0].correct", is(false))
                .body("examples[0].posteriorSamples.text", contains("4 is divisible by 2.", "4 is odd."))
                .body("examples[0].posteriorSamples[0].weight", is(0.8f))
                .body("examples[0].posteriorSamples[0].logLikelihood", is(-0.2f))
                .body("examples[1].posteriorSamples[0].logPrior", nullValue())
                .body("candidates.p1[0].chosen", is(true))
                .body("candidates.p2.prompt", contains("prompt after iteration 0", "Answer yes or no, and mind the last digit."))
                .body("candidates.p2.chosen", contains(false, true))
                .body("candidates.p2.origin", contains("current", "proposal"))
                .body("guidance", hasSize(0));
    }

    @Test
    void listsWhichIterationsHaveATrace() {
        Api.as(key).get("/api/runs/" + runId + "/iterations").then().statusCode(200)
                .body("iteration", contains(0, 1)).body("hasTrace", contains(false, true));
        Api.as(key).queryParam("candidates", true).get("/api/runs/" + runId + "/iterations").then()
                .body("[1].candidates.p2[1].origin", is("proposal")).body("[1].candidates.p2[1].chosen", is(true));
    }

    @Test
    void anIterationWithoutATraceAndAnotherTenantsRunAreNotFound() {
        Api.as(key).get("/api/runs/" + runId + "/iterations/0/trace").then().statusCode(404).body("error.code", is("not_found"));
        Api.as(key).get("/api/runs/" + runId + "/iterations/7/trace").then().statusCode(404);
        Api.as(key).get("/api/runs/" + runId + "/iterations/-1/trace").then().statusCode(400);
        Api.as(key).get("/api/runs/" + UUID.randomUUID() + "/iterations/1/trace").then().statusCode(404);

        String stranger = Api.key(Api.tenant("trace-other"), "admin");
        Api.as(stranger).get("/api/runs/" + runId + "/iterations/1/trace").then().statusCode(404);
        Api.as(Api.key(tenant, "inference")).get("/api/runs/" + runId + "/iterations/1/trace").then().statusCode(403);
    }
}
