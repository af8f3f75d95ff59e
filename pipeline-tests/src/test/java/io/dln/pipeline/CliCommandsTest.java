package io.dln.pipeline;

import io.dln.testkit.FreePorts;
import io.dln.testkit.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged {@code dln} CLI against a running gateway (with a trainer, and the pipeline's workers and simulator):
 * each command's success and error paths and its exit codes (0 ok, 1 failure, 2 usage, 3 gateway unreachable).
 * Everything here lives in a tenant of its own, which only this class's trainer trains.
 */
@ExtendWith(PipelineExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliCommandsTest {

    private static final String TENANT = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String BOOTSTRAP_KEY = "cli-bootstrap-" + UUID.randomUUID();
    private static final String DATASET = "cli-data-" + TENANT;
    private static final String MODEL = "cli-model";

    private static ServiceProcess trainer;
    private static ServiceProcess gateway;
    private static Path dir;
    private static Path data;
    private static Map<String, String> env;
    private static String runId;

    @BeforeAll
    static void start(Pipeline pipeline) throws IOException {
        ServiceProcess.Builder trainerService = pipeline.trainerOf(TENANT);
        ServiceProcess.Builder gatewayService = pipeline.gatewayOf(TENANT)
                .env("DLN_GATEWAY_SECURITY_BOOTSTRAP_ADMIN_KEY", BOOTSTRAP_KEY);
        List<ServiceProcess> started = Pipeline.startTogether(List.of(trainerService::start, gatewayService::start));
        trainer = started.get(0);
        gateway = started.get(1);
        Map<String, String> operator = Map.of("DLN_GATEWAY_URL", gateway.baseUrl(), "DLN_API_KEY", BOOTSTRAP_KEY);
        Commands.Result key = Commands.dln(operator, "keys", "create", "--name", "cli-test", "--role", "admin", "-q");
        assertEquals(0, key.code(), key.toString());
        env = Map.of("DLN_GATEWAY_URL", gateway.baseUrl(), "DLN_API_KEY", key.out().strip());
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "cli-test");
        data = dir.resolve("sum-parity.jsonl");
        assertEquals(0, dln("generate-data", "--task", "generated:sum-parity", "--count", "40", "--seed", "3",
                "--out", data.toString()).code());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.stop();
        if (trainer != null) trainer.stop();
    }

    @Test
    @Order(1)
    void datasets() throws IOException {
        Commands.Result upload = dln("datasets", "upload", data.toString(), "--name", DATASET, "--task", "generated:sum-parity", "-q");
        assertEquals(0, upload.code(), upload.toString());
        UUID id = UUID.fromString(upload.out().strip());

        Commands.Result again = dln("datasets", "upload", data.toString(), "--name", DATASET, "--task", "generated:sum-parity");
        assertEquals(1, again.code(), again.toString());
        assertTrue(again.err().startsWith("dln: ") && again.err().contains("HTTP 409"), again.err());

        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"input\": \"1 + 1?\", \"target\": \"even\"}\n{\"input\": \"2 + 1?\"}\n");
        Commands.Result invalid = dln("datasets", "upload", bad.toString(), "--name", "bad-" + TENANT);
        assertEquals(1, invalid.code(), invalid.toString());
        assertTrue(invalid.err().contains("HTTP 400") && invalid.err().contains("line 2"), invalid.err());

        Commands.Result list = dln("datasets", "list");
        assertEquals(0, list.code(), list.toString());
        assertTrue(list.out().contains(DATASET) && list.out().contains("20/10/10"), list.out());

        Commands.Result show = dln("datasets", "show", DATASET);
        assertEquals(0, show.code(), show.toString());
        assertTrue(show.out().contains(id.toString()) && show.out().contains("even|Even, odd|Odd"), show.out());
        assertTrue(show.out().contains("Answer the question about the numbers."), "the generated task's instruction: " + show.out());
        assertEquals(1, dln("datasets", "show", "no-such-data-set").code());

        Commands.Result other = dln("datasets", "upload", data.toString(), "--name", "doomed-" + TENANT, "--task", "generated:sum-parity", "-q");
        assertEquals(0, other.code(), other.toString());
        Commands.Result delete = dln("datasets", "delete", "doomed-" + TENANT);
        assertEquals(0, delete.code(), delete.toString());
        assertTrue(delete.out().contains("Deleted data set " + other.out().strip()), delete.out());
        Commands.Result gone = dln("datasets", "delete", other.out().strip());
        assertEquals(1, gone.code());
        assertTrue(gone.err().contains("not found (HTTP 404, not_found)"), gone.err());

        assertEquals(2, dln("datasets", "upload", dir.resolve("missing.jsonl").toString()).code(), "no such file");
    }

    @Test
    @Order(2)
    void runsStartWatchListShow() {
        Commands.Result unknownBackend = dln("runs", "start", "--dataset", DATASET, "--backend", "nowhere");
        assertEquals(1, unknownBackend.code(), unknownBackend.toString());
        assertTrue(unknownBackend.err().contains("unknown backend 'nowhere'"), unknownBackend.err());
        Commands.Result badSetting = dln("runs", "start", "--dataset", DATASET, "--backend", Pipeline.BACKEND, "--set", "iterations=0",
                "--set", "trustFactr=1");
        assertEquals(2, badSetting.code(), "checked before anything is sent: " + badSetting);
        assertTrue(badSetting.err().contains("unknown setting 'trustFactr'"), badSetting.err());
        Commands.Result outOfRange = dln("runs", "start", "--dataset", DATASET, "--backend", Pipeline.BACKEND, "--batch-size", "0");
        assertEquals(2, outOfRange.code(), outOfRange.toString());
        assertTrue(outOfRange.err().contains("batchSize must be within [1, 200], was 0"), outOfRange.err());

        Commands.Result start = dln("runs", "start", "--dataset", DATASET, "--model-name", MODEL, "--layers", "1",
                "--iterations", "1", "--batch-size", "4", "--p-samples", "2", "--validate-every", "1", "--seed", "5",
                "--backend", Pipeline.BACKEND, "-q");
        assertEquals(0, start.code(), start.toString());
        runId = start.out().strip();

        Commands.Result watch = dln("runs", "watch", runId);
        assertEquals(0, watch.code(), watch.toString());
        assertTrue(watch.err().contains("iteration 1/1") && watch.err().contains("step: finished"), watch.err());
        assertTrue(watch.out().contains("Run " + runId + " SUCCEEDED"), watch.out());
        assertTrue(watch.out().matches("(?s).*Best dev accuracy: +\\d+\\.\\d%.*Test accuracy: +\\d+\\.\\d%.*"), watch.out());
        assertTrue(watch.out().contains("Registered:           " + MODEL + " version 1"), watch.out());

        Commands.Result list = dln("runs", "list", "--status", "succeeded");
        assertEquals(0, list.code(), list.toString());
        assertTrue(list.out().contains(runId) && list.out().contains("SUCCEEDED"), list.out());
        assertEquals(1, dln("runs", "list", "--status", "sleeping").code(), "an unknown status is refused");

        Commands.Result show = dln("runs", "show", runId, "--history");
        assertEquals(0, show.code(), show.toString());
        assertTrue(show.out().contains("Best output prompt:") && show.out().contains("ITERATION"), show.out());

        String unknown = UUID.randomUUID().toString();
        assertEquals(1, dln("runs", "show", unknown).code());
        Commands.Result watchUnknown = dln("runs", "watch", unknown);
        assertEquals(1, watchUnknown.code(), watchUnknown.toString());
        assertTrue(watchUnknown.err().contains("run " + unknown + " not found"), watchUnknown.err());

        Commands.Result cancelEnded = dln("runs", "cancel", runId);
        assertEquals(1, cancelEnded.code(), "an ended run cannot be cancelled: " + cancelEnded);
        assertTrue(cancelEnded.err().contains("HTTP 409"), cancelEnded.err());
        Commands.Result resumeSucceeded = dln("runs", "resume", runId);
        assertEquals(1, resumeSucceeded.code(), resumeSucceeded.toString());
        assertTrue(resumeSucceeded.err().contains("HTTP 409"), resumeSucceeded.err());
    }

    @Test
    @Order(3)
    void runsStartOnOwnDataUploadsItWithItsClassesAndInstruction() throws IOException {
        Path folder = dir.resolve("own-data");
        assertEquals(0, dln("generate-data", "--task", "generated:sum-parity", "--count", "40", "--dev", "10", "--test", "10",
                "--seed", "9", "--out-dir", folder.toString()).code());
        Path settings = Files.writeString(dir.resolve("settings.json"), "{\"pSamples\": 2, \"batchSize\": 4, \"iterations\": 5}");
        String name = "own-" + TENANT;

        Commands.Result refused = dln("runs", "start", "--data", folder.toString(), "--dataset-name", name, "--settings",
                settings.toString(), "--set", "pSamples=0", "--backend", Pipeline.BACKEND);
        assertEquals(2, refused.code(), refused.toString());
        assertTrue(refused.err().contains("pSamples must be within [1, 64], was 0"), refused.err());
        assertEquals(1, dln("datasets", "show", name).code(), "nothing was uploaded");

        Commands.Result run = dln("runs", "start", "--data", folder.toString(), "--dataset-name", name, "--classes", "even|Even,odd|Odd",
                "--instruction", "Is the sum even or odd?", "--settings", settings.toString(), "--iterations", "2", "--seed", "5",
                "--backend", Pipeline.BACKEND, "--watch");
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("Uploaded " + folder + " as data set '" + name + "'") && run.out().contains("20/10/10"), run.out());
        assertTrue(run.out().contains("2 iterations"), "the option given wins over the settings file: " + run.out());
        assertTrue(run.err().contains("iteration 2/2") && !run.err().contains("iteration 3/2"), run.err());

        Commands.Result show = dln("datasets", "show", name);
        assertTrue(show.out().contains("even|Even, odd|Odd") && show.out().contains("Is the sum even or odd?"), show.out());
        String runId = run.out().lines().filter(l -> l.startsWith("Started run ")).findFirst().orElseThrow().split(" ")[2];
        Commands.Result json = dln("runs", "show", runId, "--json");
        assertTrue(json.out().replace(" ", "").contains("\"iteration\":2,") && json.out().replace(" ", "").contains("\"iterations\":2,"),
                "a finished run of 2 iterations shows 2/2: " + json.out());
        Commands.Result list = dln("runs", "list", "--model-name", name);
        assertTrue(list.out().contains(" 2/2 "), list.out());

        Path bad = Files.writeString(dir.resolve("bad.csv"), "input,target\n1 + 2?,odd\n2 + 2?,maybe\n");
        Commands.Result badFile = dln("runs", "start", "--data", bad.toString(), "--classes", "even,odd", "--backend", Pipeline.BACKEND);
        assertEquals(1, badFile.code(), badFile.toString());
        assertTrue(badFile.err().contains(bad + ", line 3, field \"target\": target 'maybe' matches no single output class"), badFile.err());
    }

    @Test
    @Order(4)
    void cancelAndResume() {
        Commands.Result start = dln("runs", "start", "--dataset", DATASET, "--model-name", MODEL + "-long", "--layers", "1",
                "--iterations", "40", "--batch-size", "4", "--p-samples", "2", "--backend", Pipeline.BACKEND, "-q");
        assertEquals(0, start.code(), start.toString());
        String id = start.out().strip();

        Commands.Result cancel = dln("runs", "cancel", id);
        assertEquals(0, cancel.code(), cancel.toString());
        Commands.Result watch = dln("runs", "watch", id);
        assertEquals(1, watch.code(), "a cancelled run exits with 1: " + watch);
        assertTrue(watch.out().contains(id + " CANCELLED"), watch.out());

        Commands.Result resume = dln("runs", "resume", id);
        assertEquals(0, resume.code(), resume.toString());
        assertTrue(resume.out().contains("Resumed run " + id + " (QUEUED)"), resume.out());
        assertEquals(0, dln("runs", "cancel", id).code());
        assertEquals(1, dln("runs", "watch", id).code());
    }

    @Test
    @Order(5)
    void modelsPromoteExportImportAndPredict() throws IOException {
        Commands.Result list = dln("models", "list");
        assertEquals(0, list.code(), list.toString());
        assertTrue(list.out().contains(MODEL), list.out());
        Commands.Result versions = dln("models", "versions", MODEL);
        assertEquals(0, versions.code(), versions.toString());
        assertTrue(versions.out().contains(runId), versions.out());
        assertEquals(1, dln("models", "versions", "no-such-model").code());

        Commands.Result promote = dln("models", "promote", MODEL, "1");
        assertEquals(0, promote.code(), promote.toString());
        assertTrue(promote.out().contains(MODEL + ":prod now points at version 1"), promote.out());
        Commands.Result badVersion = dln("models", "promote", MODEL, "99", "--alias", "staging");
        assertEquals(1, badVersion.code(), badVersion.toString());
        assertTrue(dln("models", "versions", MODEL).out().contains("prod"));

        String input = "Is the sum of 3, 4 and 8 even or odd?";
        Commands.Result predict = dln("predict", MODEL + ":prod", input, "Is the sum of 2 and 6 even or odd?");
        assertEquals(0, predict.code(), predict.toString());
        List<String> answers = predict.out().strip().lines().toList();
        assertEquals(2, answers.size(), predict.out());
        answers.forEach(a -> assertTrue(a.equals("even") || a.equals("odd"), "an output class: " + a));
        Commands.Result openai = dln("predict", "--openai", MODEL + ":prod", input);
        assertEquals(0, openai.code(), openai.toString());
        assertTrue(List.of("even", "odd").contains(openai.out().strip()), openai.out());
        Commands.Result unknownModel = dln("predict", "no-such-model", input);
        assertEquals(1, unknownModel.code());
        assertTrue(unknownModel.err().contains("HTTP 404"), unknownModel.err());
        assertEquals(1, dln("predict", "--openai", "no-such-model", input).code());

        Path exported = dir.resolve("model.json");
        Commands.Result export = dln("models", "export", MODEL, "prod", "--out", exported.toString());
        assertEquals(0, export.code(), export.toString());
        assertTrue(Files.readString(exported).contains("dln-model/1"));
        Commands.Result imported = dln("models", "import", exported.toString(), "--name", MODEL + "-copy");
        assertEquals(0, imported.code(), imported.toString());
        assertTrue(imported.out().contains("Imported " + MODEL + "-copy as version 1"), imported.out());
        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "not json");
        Commands.Result badImport = dln("models", "import", junk.toString());
        assertEquals(1, badImport.code(), badImport.toString());
        assertTrue(badImport.err().contains("HTTP 400"), badImport.err());
    }

    @Test
    @Order(6)
    void keysAndRoles() {
        Commands.Result list = dln("keys", "list");
        assertEquals(0, list.code(), list.toString());
        assertTrue(list.out().contains("cli-test"), list.out());

        Commands.Result created = dln("keys", "create", "--name", "reader", "--role", "inference", "-q");
        assertEquals(0, created.code(), created.toString());
        Map<String, String> reader = new HashMap<>(env);
        reader.put("DLN_API_KEY", created.out().strip());
        Commands.Result forbidden = Commands.dln(reader, "datasets", "list");
        assertEquals(1, forbidden.code(), forbidden.toString());
        assertTrue(forbidden.err().contains("HTTP 403"), forbidden.err());
        assertEquals(0, Commands.dln(reader, "models", "list").code(), "an inference key reads the registry");

        Commands.Result noKey = Commands.dln(Map.of("DLN_GATEWAY_URL", gateway.baseUrl()), "runs", "list");
        assertEquals(1, noKey.code());
        assertTrue(noKey.err().contains("HTTP 401") && noKey.err().contains("DLN_API_KEY"), noKey.err());
        Commands.Result wrongKey = Commands.dln(Map.of("DLN_GATEWAY_URL", gateway.baseUrl(), "DLN_API_KEY", "dln_wrong"), "runs", "list");
        assertEquals(1, wrongKey.code());
        assertTrue(wrongKey.err().contains("invalid_api_key"), wrongKey.err());
    }

    @Test
    @Order(7)
    void usageAndUnreachableExitCodes() {
        String nowhere = "http://127.0.0.1:" + FreePorts.next();
        Commands.Result unreachable = Commands.dln(Map.of("DLN_GATEWAY_URL", nowhere, "DLN_API_KEY", "k"), "models", "list");
        assertEquals(3, unreachable.code(), unreachable.toString());
        assertTrue(unreachable.err().contains("cannot reach the gateway at " + nowhere) && unreachable.err().contains("./dln demo"),
                unreachable.err());
        assertEquals(2, dln("runs").code());
        assertEquals(2, dln("runs", "start").code(), "--dataset is required");
        assertEquals(2, dln("models", "promote", MODEL).code(), "the version is required");
        assertEquals(2, dln("runs", "cancel", "not-an-id").code());
    }

    private static Commands.Result dln(String... args) {
        return Commands.dln(env, args);
    }
}
