package io.dln.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rendered overlays against the schema of the pinned Kubernetes API ({@link KubernetesSchema}: fabric8's model of
 * Kubernetes 1.30, a test dependency of this module). Every document of a kind that API has (Deployment, Service,
 * HorizontalPodAutoscaler, Ingress, NetworkPolicy, ...) is validated whole and strictly: unknown or misspelt fields and
 * wrong types fail. The kinds of operators' custom resources (Strimzi's Kafka, KafkaNodePool and KafkaTopic, KEDA's
 * ScaledObject, the Prometheus operator's ServiceMonitor) have their schemas in the operators' CRDs, not in Kubernetes:
 * for them the metadata is validated strictly against ObjectMeta and the spec must be an object; their API versions and
 * fields are checked by {@link KubernetesManifestsTest}. A kind in neither list fails, so a new one is not left unchecked.
 */
class KubernetesSchemaTest {

    /** Custom resource kinds the overlays may use, with their API group. */
    private static final Map<String, String> CUSTOM_KINDS = Map.of(
            "Kafka", "kafka.strimzi.io", "KafkaNodePool", "kafka.strimzi.io", "KafkaTopic", "kafka.strimzi.io",
            "ScaledObject", "keda.sh", "ServiceMonitor", "monitoring.coreos.com");

    private final KubernetesSchema schema = KubernetesSchema.load();

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyDocumentMatchesThePinnedKubernetesSchema(String overlay) {
        Manifests m = Manifests.render(overlay);
        List<String> problems = new ArrayList<>();
        int strict = 0, custom = 0;
        for (Map<String, Object> doc : m.docs) {
            String apiVersion = String.valueOf(doc.get("apiVersion"));
            String kind = String.valueOf(doc.get("kind"));
            String what = kind + " " + Y.str(doc, "metadata.name");
            var definition = schema.definitionOf(apiVersion, kind);
            if (definition.isPresent()) {
                strict++;
                schema.problems(definition.get(), doc).forEach(p -> problems.add(what + ": " + p));
            } else if (CUSTOM_KINDS.containsKey(kind) && apiVersion.startsWith(CUSTOM_KINDS.get(kind) + "/")) {
                custom++;
                schema.problems(KubernetesSchema.OBJECT_META, doc.get("metadata")).forEach(p -> problems.add(what + " metadata: " + p));
                if (!(doc.get("spec") instanceof Map)) problems.add(what + ": spec is not an object");
            } else {
                problems.add(what + ": " + apiVersion + " " + kind + " is neither in the pinned Kubernetes API nor a known custom resource");
            }
        }
        assertTrue(problems.isEmpty(), overlay + ":\n" + String.join("\n", problems));
        assertTrue(strict > 10, overlay + ": documents validated whole: " + strict);
        System.out.printf("k8s/overlays/%s: %d documents validated against the Kubernetes schema, %d custom resources by metadata%n",
                overlay, strict, custom);
    }

    @Test
    void theValidatorCatchesAMisspeltFieldAndAStringForAnInteger() throws Exception {
        Map<String, Object> gateway = Manifests.render("prod").get("Deployment", "gateway");
        String definition = schema.definitionOf("apps/v1", "Deployment").orElseThrow();
        assertEquals(Set.of(), schema.problems(definition, gateway), "the rendered gateway Deployment is valid");

        ObjectMapper json = new ObjectMapper();
        @SuppressWarnings("unchecked")
        Map<String, Object> typo = json.readValue(json.writeValueAsString(gateway), Map.class);
        Y.mapAt(typo, "spec").put("replica", 2);
        Set<String> typoProblems = schema.problems(definition, typo);
        assertTrue(typoProblems.stream().anyMatch(p -> p.contains("replica")), "spec.replica is not a field: " + typoProblems);

        @SuppressWarnings("unchecked")
        Map<String, Object> wrongType = json.readValue(json.writeValueAsString(gateway), Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> container = (Map<String, Object>) Y.listAt(wrongType, "spec.template.spec.containers").getFirst();
        container.put("terminationMessagePath", 5);
        Y.mapAt(wrongType, "spec").put("revisionHistoryLimit", "ten");
        Set<String> typeProblems = schema.problems(definition, wrongType);
        assertTrue(typeProblems.stream().anyMatch(p -> p.contains("revisionHistoryLimit") && p.contains("integer")),
                "a string where an integer is required: " + typeProblems);
        assertTrue(typeProblems.stream().anyMatch(p -> p.contains("terminationMessagePath") && p.contains("string")),
                "an integer where a string is required: " + typeProblems);
    }

    @Test
    void theSchemaCoversTheApiGroupsTheOverlaysUse() {
        List<String> kinds = schema.kinds();
        for (String needed : List.of("v1 Service", "v1 ConfigMap", "v1 Secret", "v1 Namespace", "apps/v1 Deployment",
                "apps/v1 StatefulSet", "autoscaling/v2 HorizontalPodAutoscaler", "networking.k8s.io/v1 Ingress",
                "networking.k8s.io/v1 NetworkPolicy", "policy/v1 PodDisruptionBudget")) {
            assertTrue(kinds.contains(needed), needed + " in " + kinds);
        }
    }
}
