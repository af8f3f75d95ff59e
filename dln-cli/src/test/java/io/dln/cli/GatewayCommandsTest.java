package io.dln.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway commands' exit codes and messages against a stub HTTP server that answers like the gateway; the
 * commands against the real gateway are tested in pipeline-tests (CliCommandsTest).
 */
class GatewayCommandsTest {

    private static final String RUN = "6f1c2b9e-3a4d-4e5f-8a7b-1c2d3e4f5a6b";

    private HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();
    private final Map<String, String> bodies = new ConcurrentHashMap<>();
    /** Answers given in turn, the last one from then on. */
    private final Map<String, java.util.Deque<Answer>> sequences = new ConcurrentHashMap<>();

    private record Answer(int status, String type, String body) {
    }

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stopStub() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
        String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        if (lastEventId != null) key += " after " + lastEventId;
        authorizations.put(key, String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        bodies.put(key, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        java.util.Deque<Answer> sequence = sequences.get(key);
        if (sequence != null) answers.put(key, sequence.size() > 1 ? sequence.poll() : sequence.peek());
        Answer a = answers.getOrDefault(key, new Answer(404, "application/json",
                "{\"error\":{\"code\":\"not_found\",\"message\":\"no such resource: " + exchange.getRequestURI().getPath() + "\",\"fields\":[]}}"));
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", a.type());
        exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void anErrorTheGatewayAnswersIsPrintedAndExitsWithOne() {
        answers.put("POST /api/runs", new Answer(400, "application/json", """
                {"error":{"code":"invalid_request","message":"the request has 2 invalid fields","fields":[
                  {"field":"settings.iterations","message":"iterations must be within [0, 1000], was -1"},
                  {"field":"backend","message":"unknown backend 'gpu'; configured backends: simulator"}]}}"""));
        answers.put("GET /api/datasets/" + RUN, new Answer(200, "application/json", dataset()));

        CliRun r = CliRun.of("runs", "start", "--gateway", url(), "--api-key", "k1", "--dataset", RUN, "--iterations", "0", "--backend", "gpu");

        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("dln: the request has 2 invalid fields (HTTP 400, invalid_request)"), r.err());
        assertTrue(r.err().contains("settings.iterations: iterations must be within [0, 1000], was -1"), r.err());
        assertTrue(r.err().contains("backend: unknown backend 'gpu'"), r.err());
        assertEquals("Bearer k1", authorizations.get("POST /api/runs"));
    }

    @Test
    void aMissingKeyIsExplained() {
        answers.put("GET /api/models", new Answer(401, "application/json",
                "{\"error\":{\"code\":\"unauthenticated\",\"message\":\"an API key is required\",\"fields\":[]}}"));
        CliRun r = CliRun.of("models", "list", "--gateway", url());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("an API key is required (HTTP 401, unauthenticated)"), r.err());
        assertTrue(r.err().contains("--api-key or the DLN_API_KEY environment variable"), r.err());
    }

    @Test
    void anUnreachableGatewayExitsWithThreeAndSaysWhereAndHowToStartIt() {
        CliRun r = CliRun.of("datasets", "list", "--gateway", "http://127.0.0.1:9");
        assertEquals(3, r.code());
        assertTrue(r.err().contains("cannot reach the gateway at http://127.0.0.1:9 (connection refused)"), r.err());
        assertTrue(r.err().contains("./dln demo"), r.err());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, CliRun.of("runs").code(), "a group without its command");
        assertEquals(2, CliRun.of("runs", "watch", "not-a-run-id").code());
        assertEquals(2, CliRun.of("runs", "start", "--gateway", url()).code(), "--dataset or --data is required");
        assertEquals(2, CliRun.of("datasets", "list", "--gateway", "localhost:8080").code(), "not a URL");
        assertEquals(2, CliRun.of("predict", "model-only", "--gateway", url()).code(), "no input");
    }

    @Test
    void watchFollowsTheEventsToTheEndAndExitsByHowTheRunEnded() {
        answers.put("GET /api/runs/" + RUN + "/events", new Answer(200, "text/event-stream", events("FINISHED")));
        answers.put("GET /api/runs/" + RUN, new Answer(200, "application/json", runJson("SUCCEEDED", 0.75, 0.7)));
        CliRun ok = CliRun.of("runs", "watch", RUN, "--gateway", url());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.err().contains("iteration 1/2  step: training (batch acc 50.0%)  dev 40.0%  tokens 1,200"), ok.err());
        assertTrue(ok.err().contains("iteration 2/2  step: finished  dev 75.0%  tokens 3,000"), ok.err());
        assertTrue(ok.out().contains("Run " + RUN + " SUCCEEDED"), ok.out());
        assertTrue(ok.out().contains("Best dev accuracy:    75.0%"), ok.out());
        assertTrue(ok.out().contains("Test accuracy:        70.0%"), ok.out());
        assertTrue(ok.out().contains("Registered:           demo version 3"), ok.out());

        answers.put("GET /api/runs/" + RUN + "/events", new Answer(200, "text/event-stream", events("FAILED")));
        answers.put("GET /api/runs/" + RUN, new Answer(200, "application/json", runJson("FAILED", null, null)));
        CliRun failed = CliRun.of("runs", "watch", RUN, "--gateway", url());
        assertEquals(1, failed.code(), failed.err());
        assertTrue(failed.out().contains("FAILED") && failed.out().contains("Error:                the backend fell over"), failed.out());
    }

    @Test
    void watchReconnectsByItselfAfterTheLastEventItGot() {
        String state = "{\"id\":\"" + RUN + "\",\"status\":\"RUNNING\",\"modelName\":\"demo\",\"layers\":1,\"iteration\":0,"
                + "\"iterations\":2,\"tokensUsed\":0,\"seed\":1,\"elapsedSeconds\":1.0}";
        // the first stream breaks off after an iteration; only a request resuming after it gets the rest
        answers.put("GET /api/runs/" + RUN + "/events", new Answer(200, "text/event-stream",
                "event: state\nid: 0-4\ndata: " + state + "\n\n"
                        + "event: iteration\nid: 0-5\ndata: {\"type\":\"ITERATION\",\"iteration\":1,\"iterations\":2,\"devAccuracy\":0.4,"
                        + "\"batchAccuracy\":0.5,\"tokensUsed\":1200}\n\n"));
        answers.put("GET /api/runs/" + RUN + "/events after 0-5", new Answer(200, "text/event-stream",
                "event: finished\nid: 0-7\ndata: {\"type\":\"FINISHED\",\"iteration\":2,\"iterations\":2,\"devAccuracy\":0.75,"
                        + "\"tokensUsed\":3000}\n\n"));
        sequences.put("GET /api/runs/" + RUN, new java.util.ArrayDeque<>(List.of(
                new Answer(200, "application/json", runJson("RUNNING", null, null)),
                new Answer(200, "application/json", runJson("SUCCEEDED", 0.75, 0.7)))));
        CliRun watch = CliRun.of("runs", "watch", RUN, "--gateway", url());
        assertEquals(0, watch.code(), watch.err());
        assertTrue(authorizations.containsKey("GET /api/runs/" + RUN + "/events after 0-5"), "resumed with Last-Event-ID: " + authorizations.keySet());
        assertTrue(watch.err().contains("iteration 2/2  step: finished  dev 75.0%  tokens 3,000"), watch.err());
        assertTrue(watch.out().contains("Run " + RUN + " SUCCEEDED"), watch.out());
    }

    @Test
    void pauseSaysWhetherTheRunPausedOrWillPauseAndResumeCanLeaveGuidedMode() {
        answers.put("POST /api/runs/" + RUN + "/pause", new Answer(202, "application/json",
                runJson("RUNNING", null, 0.5).replace("\"cancelRequested\":false", "\"cancelRequested\":false,\"pauseRequested\":true")));
        CliRun later = CliRun.of("runs", "pause", RUN, "--gateway", url());
        assertEquals(0, later.code(), later.err());
        assertTrue(later.out().contains("it pauses after its current iteration"), later.out());

        answers.put("POST /api/runs/" + RUN + "/resume", new Answer(202, "application/json", runJson("QUEUED", null, 0.5)));
        CliRun resumed = CliRun.of("runs", "resume", RUN, "--no-guided", "--gateway", url());
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("Resumed run " + RUN + " (QUEUED)"), resumed.out());
        assertTrue(bodies.get("POST /api/runs/" + RUN + "/resume").contains("\"guided\":false"), bodies.toString());
    }

    @Test
    void traceShowsWhatAStepSawReadably() {
        answers.put("GET /api/runs/" + RUN + "/iterations/2/trace", new Answer(200, "application/json", """
                {"runId":"%s","iteration":2,"layers":2,
                 "promptsBefore":{"p1":"Think.","p2":"Pinned answer prompt."},"promptsAfter":{"p1":"Think harder.","p2":"Pinned answer prompt."},
                 "previousIterationPrompts":{"p1":"Think.","p2":"Answer."},
                 "batchAccuracy":0.5,"devAccuracy":null,"elbo":-1.2,"elbo1":-0.7,"elbo2":-0.5,"tokensUsed":12345,"batchSize":2,
                 "examples":[{"index":0,"input":"Is 4 even?","target":"yes","hidden":"4 ends in 4.","output":"no","correct":false,
                              "posteriorSamples":[{"text":"4 is divisible by 2.","weight":0.61,"logLikelihood":-0.4,"logPrior":null}]},
                             {"index":1,"input":"Is 7 even?","target":"no","hidden":"7 is odd.","output":"no","correct":true,"posteriorSamples":[]}],
                 "candidates":{"p1":[{"prompt":"Think.","score":-0.9,"chosen":false,"origin":"current"},
                                     {"prompt":"Think harder.","score":-0.7,"chosen":true,"origin":"proposal"}],
                               "p2":[{"prompt":"Pinned answer prompt.","score":-0.5,"chosen":true,"origin":"pinned"}]},
                 "guidance":[{"id":"%s","runId":"%s","action":"pin","layer":2,"prompt":"Pinned answer prompt.","text":null,
                              "author":"alice","createdAt":"2026-01-01T00:00:00Z","appliedAtIteration":2}]}""".formatted(RUN, RUN, RUN)));

        CliRun r = CliRun.of("runs", "trace", RUN, "3", "--gateway", url(), "--api-key", "k1");

        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("iteration 3 (DLN-2): batch accuracy 50.0%, dev -, ELBO -1.200 (hidden -0.700, output -0.500), 12,345 tokens"), out);
        assertTrue(out.contains("  previous: Answer.\n  before:   Pinned answer prompt.\n  after:    (unchanged)".replace("\n", System.lineSeparator())), out);
        assertTrue(out.contains("pin layer 2 by alice: Pinned answer prompt."), out);
        assertTrue(out.contains("#1 WRONG  target: yes  output: no"), out);
        assertTrue(out.contains("h~ weight 0.610, log p(y|h~) -0.400: 4 is divisible by 2."), out);
        assertTrue(out.contains("*    -0.700  proposal  Think harder."), out);
        assertTrue(out.contains("*    -0.500  pinned    Pinned answer prompt."), out);

        CliRun json = CliRun.of("runs", "trace", RUN, "3", "--json", "--gateway", url());
        assertEquals(0, json.code(), json.err());
        assertTrue(json.out().contains("\"logLikelihood\" : -0.4"), json.out());
        assertEquals(2, CliRun.of("runs", "trace", RUN, "0", "--gateway", url()).code(), "iterations count from 1");
        assertEquals(1, CliRun.of("runs", "trace", RUN, "9", "--gateway", url()).code(), "no trace: the gateway's 404");
    }

    @Test
    void generateDataWritesSplitJsonLines(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("data.jsonl");
        CliRun r = CliRun.of("generate-data", "--task", "generated:basket-totals", "--count", "20", "--dev", "4", "--test", "6",
                "--seed", "7", "--out", file.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(file);
        assertEquals(20, lines.size());
        assertEquals(10, lines.stream().filter(l -> l.endsWith("\"split\":\"train\"}")).count());
        assertEquals(4, lines.stream().filter(l -> l.endsWith("\"split\":\"dev\"}")).count());
        assertEquals(6, lines.stream().filter(l -> l.endsWith("\"split\":\"test\"}")).count());
        assertEquals(lines, Files.readAllLines(file), "same seed, same examples");
        assertEquals(2, CliRun.of("generate-data", "--task", "generated:juggling").code());
        assertEquals(2, CliRun.of("generate-data", "--task", "generated:sum-parity", "--count", "4", "--dev", "2", "--test", "2").code());
    }

    private static String dataset() {
        return "{\"id\":\"" + RUN + "\",\"name\":\"demo\",\"counts\":{\"train\":4,\"dev\":2,\"test\":2}}";
    }

    private static String runJson(String status, Double best, Double test) {
        return "{\"id\":\"" + RUN + "\",\"status\":\"" + status + "\",\"modelName\":\"demo\",\"layers\":1,\"iteration\":2,"
                + "\"iterations\":2,\"bestDevAccuracy\":" + best + ",\"testAccuracy\":" + test + ",\"tokensUsed\":3000,"
                + "\"bestPrompts\":{\"p1\":null,\"p2\":\"Add the numbers.\"},\"seed\":1,\"cancelRequested\":false,"
                + "\"elapsedSeconds\":12.5,\"modelVersion\":" + (test == null ? "null" : "3") + ",\"error\":"
                + (test == null ? "\"the backend fell over\"" : "null") + "}";
    }

    private static String events(String end) {
        String state = "{\"id\":\"" + RUN + "\",\"status\":\"RUNNING\",\"modelName\":\"demo\",\"layers\":1,\"iteration\":0,"
                + "\"iterations\":2,\"tokensUsed\":0,\"seed\":1,\"elapsedSeconds\":1.0}";
        return ": keep-alive\n\n"
                + "event: state\ndata: " + state + "\n\n"
                + "event: iteration\ndata: {\"type\":\"ITERATION\",\"iteration\":0,\"iterations\":2,\"devAccuracy\":0.4,"
                + "\"batchAccuracy\":0.5,\"tokensUsed\":1200}\n\n"
                + "event: " + end.toLowerCase() + "\ndata: {\"type\":\"" + end + "\",\"iteration\":2,\"iterations\":2,"
                + "\"devAccuracy\":" + (end.equals("FINISHED") ? "0.75" : "null") + ",\"tokensUsed\":" + (end.equals("FINISHED") ? "3000" : "0") + "}\n\n";
    }
}
