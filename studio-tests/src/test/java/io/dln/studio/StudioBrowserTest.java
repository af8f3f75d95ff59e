package io.dln.studio;

import com.fasterxml.jackson.databind.JsonNode;
import io.dln.tasks.TaskExample;
import io.dln.tasks.TaskFamily;
import io.dln.tasks.TaskWorld;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Studio as a person uses it, in Debian's Chromium against the whole system (simulator, sampler, scorer, trainer,
 * gateway; real Kafka and PostgreSQL): sign in, upload, start and watch a run, explore a step, guide a run, compare,
 * promote and try a version, and what a read-only key and another tenant cannot do. One system and one browser for
 * the class; every wait is for a condition on the page.
 */
class StudioBrowserTest {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final TaskFamily TASK = TaskWorld.standard().byName("basket-totals").orElseThrow();

    private static StudioSystem system;
    private static Browser browser;
    private static GatewayApi operator;
    private static GatewayApi alice;
    private static String aliceKey;
    private static String readerKey;
    private static String bobKey;
    private static String datasetId;
    private static String runA;
    private static String runB;
    private static String modelA;

    @BeforeAll
    static void start() {
        Browser.requireChromium();
        system = new StudioSystem("15ms");
        operator = new GatewayApi(system.gateway.baseUrl(), system.adminKey);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        aliceKey = operator.createKey("alice-" + suffix, "admin", StudioSystem.TENANT);
        readerKey = operator.createKey("reader-" + suffix, "inference", StudioSystem.TENANT);
        bobKey = operator.createKey("bob-" + suffix, "trainer", StudioSystem.OTHER_TENANT);
        alice = operator.as(aliceKey);
        List<TaskExample> examples = TASK.generate(41, 44);
        datasetId = alice.uploadDataset("baskets-" + suffix, TASK, GatewayApi.jsonLines(examples, 24, 12)).get("id").asText();
        // two runs that differ in one setting, trained while the first tests run: compared and promoted later
        modelA = "baskets-a-" + suffix;
        runA = alice.startRun(datasetId, modelA, 2, 3, s -> s.put("iterations", 3).put("batchSize", 4).put("pSamples", 2)
                .put("hSamples", 2).put("validateEvery", 1)).get("id").asText();
        runB = alice.startRun(datasetId, "baskets-b-" + suffix, 2, 4, s -> s.put("iterations", 3).put("batchSize", 4).put("pSamples", 3)
                .put("hSamples", 2).put("validateEvery", 1)).get("id").asText();
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (system != null) system.close();
    }

    @BeforeEach
    void signedOut() {
        browser.open(system.studioUrl());
        browser.js("sessionStorage.clear()");
        browser.open(system.studioUrl() + "#/signin");
        browser.find("#signin-key");
    }

    private void signIn(String key) {
        browser.find("#signin-key").sendKeys(key);
        browser.find("#signin-form button[type=submit]").click();
        browser.find("#who-text");
    }

    @Test
    void signInKeepsTheKeyInTheTabOnly() {
        browser.find("#signin-key").sendKeys("not-a-key");
        browser.find("#signin-form button[type=submit]").click();
        assertTrue(browser.find("#signin-problem .error-box").getText().contains("not valid"), "a wrong key is refused");
        browser.screenshot("sign-in", true);

        browser.find("#signin-key").clear();
        signIn(aliceKey);
        browser.heading("Runs");
        assertTrue(browser.find("#who-text").getText().contains(StudioSystem.TENANT), "the header names the tenant");
        assertEquals(aliceKey, browser.js("return sessionStorage.getItem('dln.studio.token')"), "kept in session storage");
        assertEquals(0L, browser.js("return localStorage.length"), "nothing in local storage");
        assertFalse(browser.driver.getCurrentUrl().contains(aliceKey), "never in the URL");
        assertFalse(browser.driver.getPageSource().contains(aliceKey), "never in the page");
    }

    @Test
    void uploadShowsThePreviewAndEachLinesProblem() throws Exception {
        signIn(aliceKey);
        browser.go("#/datasets");
        browser.heading("Data sets");
        List<TaskExample> examples = TASK.generate(5, 12);
        String broken = GatewayApi.jsonLines(examples, 8, 2).replaceFirst("(?m)^(.*)\\n(.*)\\n", "$1\n{\"input\": \"no target here\"}\n");
        Path file = Files.createTempFile("studio-upload-", ".jsonl");
        Files.writeString(file, broken);
        browser.find("#ds-file").sendKeys(file.toString());
        assertTrue(browser.find("#preview-table").getText().contains("no target here"), "the first rows are previewed");
        browser.find("#upload-form button[type=submit]").click();
        WebElement errors = browser.find("#upload-errors");
        List<String> firstRow = errors.findElements(By.cssSelector("tbody tr:first-child td")).stream().map(WebElement::getText).toList();
        assertEquals("2", firstRow.get(0), "the problem names its line: " + errors.getText());
        assertTrue(firstRow.get(1).contains("target"), "and its field: " + errors.getText());
        browser.screenshot("upload-errors", true);

        Files.writeString(file, GatewayApi.jsonLines(examples, 8, 2));
        browser.find("#ds-file").sendKeys(file.toString());
        browser.find("#upload-form button[type=submit]").click();
        browser.find("#run-form");
        assertTrue(browser.find("#main .facts").getText().contains("8"), "the stored data set shows its counts");
        Files.delete(file);
    }

    @Test
    void aRunStartedFromTheFormGrowsItsChartsLive() {
        signIn(aliceKey);
        browser.go("#/datasets/" + datasetId);
        browser.find("#run-form");
        WebElement name = browser.find("#run-modelName");
        name.clear();
        name.sendKeys("live-" + UUID.randomUUID().toString().substring(0, 8));
        new Select(browser.find("#run-layers")).selectByValue("2");
        setNumber("#run-settings-iterations", "6");
        setNumber("#run-settings-batchSize", "4");
        setNumber("#run-settings-pSamples", "2");
        setNumber("#run-settings-hSamples", "2");
        setNumber("#run-settings-validateEvery", "1");
        browser.find("#start-run").click();
        WebElement chart = browser.find("figure[data-chart='Accuracy per iteration']");
        browser.js("window.studioTestMarker = 'same page'");
        String runId = browser.driver.getCurrentUrl().replaceAll(".*#/runs/", "");
        int first = Integer.parseInt(chart.getAttribute("data-points"));
        browser.await(d -> Integer.parseInt(chart.getAttribute("data-points")) > first ? true : null, RUN_TIMEOUT);
        browser.screenshot("run-live", false);
        browser.await(d -> browser.all("h1 [data-status=SUCCEEDED]").isEmpty() ? null : true, RUN_TIMEOUT);
        int stored = alice.call("GET", "/api/runs/" + runId + "/iterations", null, null, 200).size();
        assertEquals(stored, Integer.parseInt(chart.getAttribute("data-points")), "every stored iteration is on the chart");
        assertEquals("same page", browser.js("return window.studioTestMarker"), "it grew through the event stream, not a reload");
        assertTrue(first < stored, "the page was open before the run ended (first saw " + first + " of " + stored + " points)");
        browser.screenshot("run", true);
    }

    @Test
    void theStepExplorerShowsPosteriorSamplesWithTheirWeights() {
        alice.awaitStatus(runA, RUN_TIMEOUT, "SUCCEEDED");
        signIn(aliceKey);
        browser.go("#/runs/" + runA + "/steps/1");
        WebElement samples = browser.find("#posterior-samples");
        List<WebElement> weights = samples.findElements(By.cssSelector("[data-weight]"));
        assertFalse(weights.isEmpty(), "each posterior sample h~ is listed");
        double weight = Double.parseDouble(weights.getFirst().getAttribute("data-weight"));
        assertTrue(weight >= 0 && weight <= 1, "with its weight: " + weight);
        assertFalse(browser.find("#hidden-text").getText().isBlank(), "the forward hidden text is shown");
        assertFalse(browser.all(".candidates-table .chosen-tag").isEmpty(), "the chosen candidate is marked");
        browser.screenshot("explorer", true);
        browser.find("#example-detail").click();
        browser.driver.findElement(By.tagName("body")).sendKeys("]");
        browser.await(d -> browser.driver.getCurrentUrl().contains("example=1") ? true : null);
    }

    @Test
    void aPausedRunTakesAPinnedPromptAndUsesIt() {
        JsonNode run = alice.call("POST", "/api/runs", "application/json", """
                {"datasetId": "%s", "modelName": "guided-%s", "layers": 2, "backend": "%s", "seed": 5, "guided": true,
                 "settings": {"iterations": 3, "batchSize": 4, "pSamples": 3, "hSamples": 2, "validateEvery": 1}}"""
                .formatted(datasetId, UUID.randomUUID().toString().substring(0, 8), StudioSystem.BACKEND), 201);
        String id = run.get("id").asText();
        alice.awaitStatus(id, RUN_TIMEOUT, "PAUSED");
        signIn(aliceKey);
        browser.go("#/runs/" + id);
        WebElement candidate = browser.await(d -> d.findElements(By.cssSelector("#guided-candidates [data-layer='2'] .candidate:not(.chosen)"))
                .stream().findFirst().orElse(null));
        String pinned = candidate.findElement(By.tagName("pre")).getText();
        candidate.findElement(By.cssSelector("[data-action=pin]")).click();
        browser.await(d -> d.findElements(By.cssSelector("#guidance-list [data-guidance=pin]")).isEmpty() ? null : true);
        browser.screenshot("guided", true);
        WebElement stay = browser.find("#stay-guided");
        if (stay.isSelected()) stay.click();
        browser.find("#run-actions [data-action=resume]").click();
        WebElement applied = browser.await(d -> d.findElements(By.cssSelector("#guidance-list .applied")).stream().findFirst().orElse(null),
                RUN_TIMEOUT);
        int iteration = Integer.parseInt(applied.getText().replaceAll("\\D+", ""));
        browser.screenshot("guided-applied", false);
        browser.go("#/runs/" + id + "/steps/" + iteration);
        assertEquals(pinned, browser.find("#prompt-before-2").getText(), "iteration " + iteration + " started from the pinned prompt");
        assertFalse(browser.all("[data-guidance=pin]").isEmpty(), "and lists the guidance applied at its start");
    }

    @Test
    void twoRunsCompareCurvesSettingsAndPrompts() {
        alice.awaitStatus(runA, RUN_TIMEOUT, "SUCCEEDED");
        alice.awaitStatus(runB, RUN_TIMEOUT, "SUCCEEDED");
        signIn(aliceKey);
        browser.go("#/runs");
        for (String id : List.of(runA, runB)) {
            browser.find("#runs-table input[value='" + id + "']").click();
        }
        browser.find("#compare-selected").click();
        browser.heading("Compare runs");
        WebElement chart = browser.find("figure[data-chart='Dev accuracy']");
        browser.await(d -> chart.findElements(By.cssSelector(".u-legend .u-series")).size() == 3 ? true : null);
        WebElement settings = browser.find("#compare-settings");
        assertTrue(settings.getText().contains("pSamples"), "the setting that differs is listed: " + settings.getText());
        assertFalse(settings.getText().contains("batchSize"), "settings that are the same are not");
        assertFalse(browser.all(".side-by-side .side").isEmpty(), "final prompts side by side");
        browser.screenshot("compare", true);
    }

    @Test
    void aPromotedVersionAnswersInThePlayground() {
        JsonNode finished = alice.awaitStatus(runA, RUN_TIMEOUT, "SUCCEEDED");
        int version = finished.get("modelVersion").asInt();
        signIn(aliceKey);
        browser.go("#/models/" + modelA);
        browser.heading(modelA);
        browser.find("#versions-table [data-action=promote][data-version='" + version + "']").click();
        browser.find("dialog.confirm [data-confirm]").click();
        browser.await(d -> d.findElements(By.cssSelector("#versions-table [data-alias=prod]")).isEmpty() ? null : true);
        assertEquals(version, alice.call("GET", "/api/models/" + modelA + "/aliases", null, null, 200).get("prod").asInt());

        browser.go("#/playground?model=" + modelA);
        browser.find("#pg-form");
        new Select(browser.find("#pg-a")).selectByValue("alias:prod");
        browser.find("#pg-inputs").sendKeys(TASK.generate(99, 1).getFirst().input());
        browser.find("#pg-run").click();
        WebElement output = browser.find("[data-side=a] .result-output");
        assertTrue(TASK.prototypes().contains(output.getText()), "an output class: " + output.getText());
        assertFalse(browser.all("[data-side=a] .probabilities meter").isEmpty(), "with class probabilities");
        assertTrue(browser.find("#snippet-openai").getText().contains("dln/" + modelA + ":prod"), "the client snippet names the alias");
        assertFalse(browser.find("#pg-snippets").getText().contains(aliceKey), "never the key itself");
        browser.screenshot("playground", true);
    }

    @Test
    void aReadOnlyKeySeesNoButtonItCannotUse() {
        alice.awaitStatus(runA, RUN_TIMEOUT, "SUCCEEDED");
        signIn(readerKey);
        browser.heading("Registry");
        assertTrue(browser.all("#nav a[href='#/runs']").stream().noneMatch(WebElement::isDisplayed), "no runs section");
        browser.go("#/models/" + modelA);
        browser.find("#versions-table");
        assertTrue(browser.all("[data-action=promote], [data-action=rollback], #alias-name").isEmpty(), "no promote button");
        browser.screenshot("registry-read-only", false);
        browser.go("#/runs/" + runA);
        browser.heading("Not available");
    }

    @Test
    void anotherTenantsRunIsNotReachableByUrl() {
        signIn(bobKey);
        browser.go("#/runs/" + runA);
        browser.heading("Not found");
        assertFalse(browser.find("#main").getText().contains(modelA), "nothing of the run shows");
        assertNull(browser.js("return document.querySelector('figure.chart')"), "no charts");
        browser.go("#/runs");
        browser.heading("Runs");
        assertTrue(browser.all("#runs-table a[data-run='" + runA + "']").isEmpty(), "not in the list either");
        assertNotEquals(0, browser.all("#main").size());
    }

    private static void setNumber(String css, String value) {
        WebElement input = browser.find(css);
        input.clear();
        input.sendKeys(value);
    }
}
