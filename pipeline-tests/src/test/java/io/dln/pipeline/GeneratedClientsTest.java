package io.dln.pipeline;

import io.dln.client.ApiClient;
import io.dln.client.ApiException;
import io.dln.client.api.DataSetsApi;
import io.dln.client.api.InferenceApi;
import io.dln.client.api.KeysApi;
import io.dln.client.api.OpenAiCompatibleApi;
import io.dln.client.api.RunsApi;
import io.dln.client.model.ChatRequest;
import io.dln.client.model.Completion;
import io.dln.client.model.CreateKeyRequest;
import io.dln.client.model.CreateRunRequest;
import io.dln.client.model.DatasetView;
import io.dln.client.model.DlnSettings;
import io.dln.client.model.Message;
import io.dln.client.model.PredictRequest;
import io.dln.client.model.PredictResponse;
import io.dln.client.model.Role;
import io.dln.client.model.RunStatus;
import io.dln.client.model.RunView;
import io.dln.testkit.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clients generated from the gateway's OpenAPI document (module clients) against the real gateway, trainer,
 * workers and simulator: the Java client uploads a data set, starts a run, waits for it, predicts and chats; the
 * Python client (clients/python, installed with pip into a folder of this test) predicts and chats with the result.
 */
@ExtendWith(PipelineExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeneratedClientsTest {

    private static final String TENANT = "clients-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String BOOTSTRAP_KEY = "clients-bootstrap-" + UUID.randomUUID();
    private static final String MODEL = "client-model";
    private static final Set<RunStatus> ENDED = Set.of(RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED);

    private static ServiceProcess trainer;
    private static ServiceProcess gateway;
    private static String adminKey;
    private static Path dir;

    @BeforeAll
    static void start(Pipeline pipeline) throws Exception {
        ServiceProcess.Builder trainerService = pipeline.trainerOf(TENANT);
        ServiceProcess.Builder gatewayService = pipeline.gatewayOf(TENANT)
                // what this class tests is the clients: a machine loaded by other builds must not fail the gateway's
                // first database connection (2 s by default, so that an outage is answered quickly)
                .systemProperty("quarkus.datasource.jdbc.acquisition-timeout", "20S")
                .env("DLN_GATEWAY_SECURITY_BOOTSTRAP_ADMIN_KEY", BOOTSTRAP_KEY);
        List<ServiceProcess> started = Pipeline.startTogether(List.of(trainerService::start, gatewayService::start));
        trainer = started.get(0);
        gateway = started.get(1);
        adminKey = new KeysApi(client(BOOTSTRAP_KEY)).createKey(new CreateKeyRequest().name("generated-client").role(Role.ADMIN))
                .getKey();
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "clients-test");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.stop();
        if (trainer != null) trainer.stop();
    }

    static ApiClient client(String key) {
        ApiClient client = new ApiClient();
        client.setBasePath(gateway.baseUrl());
        client.setBearerToken(key);
        client.setReadTimeout(60_000);
        return client;
    }

    @Test
    @Order(1)
    void javaClientUploadsRunsWaitsPredictsAndChats() throws Exception {
        ApiClient client = client(adminKey);
        Path data = dir.resolve("sum-parity.jsonl");
        Commands.Result generated = Commands.dln(Map.of(), "generate-data", "--task", "generated:sum-parity", "--count", "40",
                "--seed", "3", "--out", data.toString());
        assertEquals(0, generated.code(), generated.toString());

        DatasetView dataset = new DataSetsApi(client).uploadDataset("clients-data", data.toFile(), List.of("even", "odd"), "jsonl",
                "Is the sum even or odd?", null, null, null);
        assertNotNull(dataset.getId());

        RunsApi runs = new RunsApi(client);
        RunView run = runs.createRun(new CreateRunRequest().datasetId(dataset.getId()).modelName(MODEL).layers(1)
                .backend(Pipeline.BACKEND).seed(5L)
                .settings(new DlnSettings().iterations(1).batchSize(4).pSamples(2).validateEvery(1)));
        assertEquals(RunStatus.QUEUED, run.getStatus());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!ENDED.contains(run.getStatus()) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            run = runs.getRun(run.getId());
        }
        assertEquals(RunStatus.SUCCEEDED, run.getStatus(), "the run: " + run);
        assertEquals(1, run.getModelVersion());

        PredictResponse prediction = new InferenceApi(client).predict(MODEL, new PredictRequest().inputs(List.of("3 + 4", "2 + 2")));
        assertEquals(MODEL, prediction.getModel());
        assertEquals(2, prediction.getOutputs().size());

        Completion completion = new OpenAiCompatibleApi(client).createChatCompletion(new ChatRequest().model("dln/" + MODEL)
                .messages(List.of(new Message().role("user").content("3 + 4"))));
        assertEquals("chat.completion", completion.getObject());
        assertEquals(prediction.getOutputs().getFirst(), completion.getChoices().getFirst().getMessage().getContent());

        ApiException missing = assertThrows(ApiException.class, () -> new InferenceApi(client).predict("no-such-model",
                new PredictRequest().inputs(List.of("x"))));
        assertEquals(404, missing.getCode());
        assertTrue(missing.getResponseBody().contains("\"not_found\""), missing.getResponseBody());
    }

    /** Needs python3 with pip and the client's runtime packages (urllib3, pydantic 2, python-dateutil); CI has them. */
    @Test
    @Order(2)
    void pythonClientPredictsAndChats() throws Exception {
        Path clientDir = Path.of("..", "clients", "python").toAbsolutePath().normalize();
        String missing = pythonMissing(clientDir);
        if (missing != null) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("CI must run the Python client's test: " + missing);
            System.out.println("[skip] GeneratedClientsTest.pythonClientPredictsAndChats: " + missing);
            Assumptions.abort(missing);
        }
        Path site = dir.resolve("python-site");
        // the client's own packages are there (checked above); its build needs setuptools and wheel, which pip takes from
        // the Python here when it has both, else fetches into an isolated build environment
        boolean canBuildHere = run(List.of("python3", "-c", "import setuptools, wheel"), Map.of()).code() == 0;
        List<String> install = new ArrayList<>(List.of("python3", "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                site.toString()));
        if (canBuildHere) install.add("--no-build-isolation");
        install.add(clientDir.toString());
        Result installed = run(install, Map.of());
        assertEquals(0, installed.code(), "pip install clients/python: " + installed.output());
        Path script = dir.resolve("python-client-check.py");
        try (var in = GeneratedClientsTest.class.getResourceAsStream("/python-client-check.py")) {
            Files.write(script, in.readAllBytes());
        }
        Result check = run(List.of("python3", script.toString(), gateway.baseUrl(), adminKey, MODEL),
                Map.of("PYTHONPATH", site.toString()));
        assertEquals(0, check.code(), check.output());
        assertTrue(check.output().contains("OK"), check.output());
    }

    /** Why the Python client cannot be tried here, or null when it can. */
    private static String pythonMissing(Path clientDir) throws InterruptedException {
        if (!Files.isRegularFile(clientDir.resolve("pyproject.toml"))) {
            return clientDir + " has not been generated: build the module clients first";
        }
        try {
            // setuptools before pip: pip's import first breaks setuptools' distutils shim on some Pythons
            Result probe = run(List.of("python3", "-c", "import setuptools, pip, urllib3, pydantic, dateutil, typing_extensions; "
                    + "assert int(pydantic.VERSION.split('.')[0]) >= 2"), Map.of());
            return probe.code() == 0 ? null : "python3 lacks pip, setuptools or the client's packages: " + probe.output().strip();
        } catch (IOException e) {
            return "no python3 on the PATH";
        }
    }

    private record Result(int code, String output) {
    }

    private static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return new Result(-1, output + "\n(timed out)");
        }
        return new Result(process.exitValue(), output);
    }
}
