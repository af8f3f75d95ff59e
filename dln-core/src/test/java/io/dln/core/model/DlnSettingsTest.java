package io.dln.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DlnSettingsTest {

    @Test
    void everyFieldHasADocumentedRangeAndTheDefaultsAreWithinThem() {
        Set<String> fields = Arrays.stream(DlnSettings.class.getRecordComponents()).map(c -> c.getName()).collect(Collectors.toSet());
        Set<String> ranged = DlnSettings.RANGES.stream().map(SettingRange::field).collect(Collectors.toSet());
        assertEquals(fields, ranged, "every field of DlnSettings has an entry in RANGES, and nothing else does");
        assertEquals(List.of(), DlnSettings.defaults().violations());
    }

    @Test
    void outOfRangeValuesAreNamedWithTheirRange() {
        DlnSettings settings = DlnSettings.builder().iterations(2_147_483_647).batchSize(0).pSamples(100_000)
                .hSamples(100_000).p1MaxTokens(2_147_483_647).fewShots(1_000_000).memorySize(1_000_000).layers(3).build();
        List<SettingViolation> violations = settings.violations();
        assertEquals(List.of("layers", "iterations", "batchSize", "hSamples", "pSamples", "memorySize", "p1MaxTokens", "fewShots"),
                violations.stream().map(SettingViolation::field).toList());
        assertTrue(settings.problems().contains("iterations must be within [0, 1000], was 2147483647"), settings.problems().toString());
        assertTrue(settings.problems().contains("batchSize must be within [1, 200], was 0"), settings.problems().toString());
        assertTrue(settings.problems().contains("layers must be within [1, 2], was 3"), settings.problems().toString());
    }

    @Test
    void theBoundsThemselvesAreAccepted() {
        DlnSettings low = DlnSettings.builder().iterations(0).batchSize(1).pSamples(1).hSamples(1).memorySize(0)
                .posteriorTemperature(0.01).trustFactor(0).forwardTemperature(0).build();
        DlnSettings high = DlnSettings.builder().iterations(1000).batchSize(200).pSamples(64).hSamples(64).memorySize(20)
                .posteriorTemperature(100).trustFactor(100).forwardTemperature(2).backwardMaxTokens(4096).build();
        assertEquals(List.of(), low.violations());
        assertEquals(List.of(), high.violations());
        assertEquals(List.of("posteriorTemperature"), DlnSettings.builder().posteriorTemperature(0.009).build()
                .violations().stream().map(SettingViolation::field).toList());
    }

    @Test
    void nonFiniteNumbersAreViolationsEvenWhereTheyCompareWithinRange() throws Exception {
        for (double bad : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            DlnSettings settings = DlnSettings.builder().posteriorTemperature(bad).trustFactor(bad).logpPenalty(bad)
                    .forwardTemperature(bad).backwardTemperature(bad).build();
            assertEquals(List.of("posteriorTemperature", "trustFactor", "logpPenalty", "forwardTemperature", "backwardTemperature"),
                    settings.violations().stream().map(SettingViolation::field).toList(), "for " + bad);
            assertTrue(settings.problems().getFirst().contains("finite"), settings.problems().getFirst());
        }
        DlnSettings fromJson = new ObjectMapper().readValue("{\"trustFactor\": \"NaN\", \"logpPenalty\": \"Infinity\"}", DlnSettings.class);
        assertEquals(List.of("trustFactor", "logpPenalty"), fromJson.violations().stream().map(SettingViolation::field).toList());
    }

    @Test
    void textsAndListsAreBoundedInLength() {
        String long20k = "x".repeat(20_000);
        DlnSettings settings = DlnSettings.builder().initP1(long20k).initP2(long20k).forwardTemplate("t".repeat(101))
                .posteriorTemplates(Collections.nCopies(9, "posterior-with-answer")).build();
        assertEquals(List.of("initP1", "initP2", "forwardTemplate", "posteriorTemplates"),
                settings.violations().stream().map(SettingViolation::field).toList());
        assertTrue(settings.problems().contains("initP1 must be at most 16384 characters, was 20000"));
        assertEquals(List.of("posteriorTemplates"), DlnSettings.builder().posteriorTemplates(List.of()).build()
                .violations().stream().map(SettingViolation::field).toList());
        assertEquals(List.of("posteriorTemplates"), DlnSettings.builder().posteriorTemplates(Arrays.asList("posterior-with-answer", null))
                .build().violations().stream().map(SettingViolation::field).toList());
    }

    @Test
    void theReadmeListsEverySettingWithItsRangeAndDefault() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme);
        String start = "<!-- settings-table: generated from DlnSettings.RANGES; DlnSettingsTest checks it -->\n";
        int from = text.indexOf(start);
        assertTrue(from >= 0, "README.md has the settings table's marker line: " + start);
        int tableStart = from + start.length();
        int tableEnd = text.indexOf("\n\n", tableStart);
        String inReadme = text.substring(tableStart, tableEnd < 0 ? text.length() : tableEnd + 1);
        assertEquals(DlnSettings.rangesTable(), inReadme,
                "README.md's settings table is out of date; replace it with DlnSettings.rangesTable()");
    }
}
