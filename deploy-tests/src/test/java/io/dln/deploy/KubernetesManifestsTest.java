package io.dln.deploy;

import io.dln.deploy.Manifests.EnvSource;
import io.dln.deploy.NetworkPolicies.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Kustomize overlays k8s/overlays/dev and k8s/overlays/prod, rendered by {@code kubectl kustomize}, checked
 * against the services they deploy: their modules, the configuration keys they read, the topics of
 * kafka/topics.txt, and the rules every workload must follow.
 */
class KubernetesManifestsTest {

    private static final Pattern DLN_IMAGE = Pattern.compile("^(?:.+/)?dln/([a-z0-9-]+):([^:@/]+)$");
    /** Images from elsewhere that an overlay may run (development PostgreSQL). */
    private static final Set<String> THIRD_PARTY_IMAGES = Set.of("postgres:17");
    /** Settings without which a service cannot work in a cluster (every default points at 127.0.0.1). */
    private static final Map<String, List<String>> REQUIRED_ENV = Map.of(
            "trainer-service", List.of("KAFKA_BOOTSTRAP_SERVERS", "DLN_DB_URL", "DLN_DB_USER", "DLN_DB_PASSWORD"),
            "sampler-service", List.of("KAFKA_BOOTSTRAP_SERVERS"),
            "scorer-service", List.of("KAFKA_BOOTSTRAP_SERVERS"),
            "gateway", List.of("KAFKA_BOOTSTRAP_SERVERS", "DLN_DB_URL", "DLN_DB_USER", "DLN_DB_PASSWORD",
                    "DLN_GATEWAY_SECURITY_BOOTSTRAP_ADMIN_KEY"));
    /** Variables that hold secrets by their name: passwords, API and admin keys, secrets, access tokens. */
    private static final Pattern SENSITIVE = Pattern.compile(".*(PASSWORD|SECRET|_API_KEY|_ADMIN_KEY|ACCESS_TOKEN|AUTH_TOKEN)$");

    // ---------------------------------------------------------------- every overlay

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyWorkloadHasProbesResourcesAndARestrictedSecurityContext(String overlay) {
        Manifests m = Manifests.render(overlay);
        List<String> problems = new ArrayList<>();
        assertFalse(m.workloads().isEmpty(), "no workloads rendered");
        for (Map<String, Object> w : m.workloads()) {
            String where = w.get("kind") + " " + Manifests.name(w);
            Map<String, Object> pod = Manifests.podSpec(w);
            for (Map<String, Object> c : Manifests.containers(w)) {
                String at = where + " container " + c.get("name");
                if (!(Y.at(c, "livenessProbe") instanceof Map)) problems.add(at + ": no livenessProbe");
                if (!(Y.at(c, "readinessProbe") instanceof Map)) problems.add(at + ": no readinessProbe");
                for (String r : List.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")) {
                    if (Y.at(c, "resources." + r) == null) problems.add(at + ": no resources." + r);
                }
                Object runAsNonRoot = Y.at(c, "securityContext.runAsNonRoot");
                if (runAsNonRoot == null) runAsNonRoot = Y.at(pod, "securityContext.runAsNonRoot");
                if (!Boolean.TRUE.equals(runAsNonRoot)) problems.add(at + ": runAsNonRoot is not true");
                Object user = Y.at(c, "securityContext.runAsUser");
                if (user == null) user = Y.at(pod, "securityContext.runAsUser");
                if (user instanceof Number n && n.intValue() == 0) problems.add(at + ": runs as user 0");
                if (!Boolean.TRUE.equals(Y.at(c, "securityContext.readOnlyRootFilesystem"))) {
                    problems.add(at + ": readOnlyRootFilesystem is not true");
                }
                if (!Boolean.FALSE.equals(Y.at(c, "securityContext.allowPrivilegeEscalation"))) {
                    problems.add(at + ": allowPrivilegeEscalation is not false");
                }
                if (!Y.listAt(c, "securityContext.capabilities.drop").contains("ALL")) {
                    problems.add(at + ": capabilities.drop lacks ALL");
                }
                if (!Y.listAt(c, "securityContext.capabilities.add").isEmpty()) problems.add(at + ": adds capabilities");
                if (Boolean.TRUE.equals(Y.at(c, "securityContext.privileged"))) problems.add(at + ": privileged");
                if (!mountsEmptyDir(pod, c, "/tmp")) problems.add(at + ": no emptyDir mounted at /tmp (read-only root)");
            }
            if (!Boolean.FALSE.equals(pod.get("automountServiceAccountToken"))) {
                problems.add(where + ": mounts a service account token it does not need");
            }
            if (Boolean.TRUE.equals(pod.get("hostNetwork")) || Boolean.TRUE.equals(pod.get("hostPID"))) {
                problems.add(where + ": uses the host's network or process namespace");
            }
        }
        assertTrue(problems.isEmpty(), overlay + ":\n  " + String.join("\n  ", problems));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void imagesAreTheModulesAtTheProjectVersion(String overlay) {
        Manifests m = Manifests.render(overlay);
        String version = Repo.projectVersion();
        Set<String> deployed = new TreeSet<>();
        for (Map<String, Object> w : m.workloads()) {
            for (Map<String, Object> c : Manifests.containers(w)) {
                String image = Y.str(c, "image");
                Matcher dln = DLN_IMAGE.matcher(image);
                if (!dln.matches()) {
                    assertTrue(THIRD_PARTY_IMAGES.contains(image), overlay + ": " + Manifests.name(w)
                            + " runs image " + image + ", neither dln/<module>:<version> nor a known third-party image");
                    continue;
                }
                String module = dln.group(1);
                assertTrue(Repo.IMAGE_MODULES.contains(module),
                        overlay + ": image " + image + " names no service module (" + Repo.IMAGE_MODULES + ")");
                assertTrue(java.nio.file.Files.isRegularFile(Repo.file(module + "/pom.xml")), "no module " + module);
                assertEquals(version, dln.group(2), overlay + ": image " + image + " is not the project version");
                assertEquals(module, Manifests.name(w), overlay + ": Deployment of image " + image + " is named differently");
                assertEquals(module, c.get("name"), overlay + ": container of image " + image + " is named differently");
                assertEquals(module, Manifests.podLabels(w).get("app.kubernetes.io/name"), overlay + ": pod label of " + module);
                deployed.add(module);
            }
        }
        Set<String> expected = new TreeSet<>(Repo.SERVICES);
        if (overlay.equals("dev")) expected.add(Repo.SIMULATOR);
        assertEquals(expected, deployed, overlay + ": the DLN images deployed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyEnvironmentVariableAndConfigMapKeyIsOneTheServiceReads(String overlay) {
        Manifests m = Manifests.render(overlay);
        List<String> problems = new ArrayList<>();
        Set<String> consumedConfigMaps = new TreeSet<>();
        int checked = 0;
        for (Map<String, Object> w : m.kind("Deployment")) {
            for (Map<String, Object> c : Manifests.containers(w)) {
                String module = module(c);
                for (Map<String, Object> from : Y.maps(c, "envFrom")) {
                    if (from.containsKey("configMapRef")) consumedConfigMaps.add(Y.str(from, "configMapRef.name"));
                }
                if (module == null) continue;
                ServiceConfig config = ServiceConfig.of(module);
                Map<String, EnvSource> env = m.env(c);
                Set<String> apiKeyEnv = apiKeyVariables(env);
                for (Map.Entry<String, EnvSource> e : env.entrySet()) {
                    String name = e.getKey();
                    checked++;
                    if (config.readsEnv(name) || ServiceConfig.LAUNCHER_ENV.contains(name) || apiKeyEnv.contains(name)) continue;
                    problems.add(module + ": " + name + " (" + describe(e.getValue()) + ") is read by no configuration key of "
                            + module + " (application.properties, @ConfigMapping, @ConfigProperty)");
                }
            }
        }
        for (Map<String, Object> w : m.workloads()) {
            for (Map<String, Object> c : Manifests.containers(w)) {
                for (Map<String, Object> e : Y.maps(c, "env")) {
                    String cm = Y.str(e, "valueFrom.configMapKeyRef.name");
                    if (cm != null) consumedConfigMaps.add(cm);
                }
            }
        }
        for (Map<String, Object> cm : m.kind("ConfigMap")) {
            if (!consumedConfigMaps.contains(Manifests.name(cm))) problems.add("ConfigMap " + Manifests.name(cm) + " is used by no container");
        }
        assertTrue(checked > 20, "suspiciously few variables checked: " + checked);
        assertTrue(problems.isEmpty(), overlay + ":\n  " + String.join("\n  ", problems));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void secretsComeFromSecretObjectsOnly(String overlay) {
        Manifests m = Manifests.render(overlay);
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> w : m.workloads()) {
            for (Map<String, Object> c : Manifests.containers(w)) {
                Map<String, EnvSource> env = m.env(c);
                Set<String> secretNames = new TreeSet<>(apiKeyVariables(env));
                env.keySet().stream().filter(n -> SENSITIVE.matcher(n).matches()).forEach(secretNames::add);
                for (String name : secretNames) {
                    EnvSource source = env.get(name);
                    if (source == null) {
                        problems.add(Manifests.name(w) + ": " + name + " is named as an API key variable but not set");
                    } else if (!source.secret()) {
                        problems.add(Manifests.name(w) + ": " + name + " comes from " + describe(source) + ", not a Secret");
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), overlay + ":\n  " + String.join("\n  ", problems));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceListensWhereItsProbesAndServiceLook(String overlay) {
        Manifests m = Manifests.render(overlay);
        for (Map<String, Object> w : m.kind("Deployment")) {
            for (Map<String, Object> c : Manifests.containers(w)) {
                String module = module(c);
                if (module == null) continue;
                int listens = ServiceConfig.of(module).httpPort(Manifests.values(m.env(c)));
                Map<String, Object> http = Y.maps(c, "ports").stream().filter(p -> "http".equals(p.get("name"))).findFirst()
                        .orElseThrow(() -> new AssertionError(module + ": no container port named http"));
                assertEquals(listens, ((Number) http.get("containerPort")).intValue(),
                        overlay + ": " + module + " listens on " + listens + " (quarkus.http.port with this environment)");
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    if (Y.at(c, probe) == null) continue;
                    Object port = Y.at(c, probe + ".httpGet.port");
                    assertNotNull(port, module + ": " + probe + " is not an HTTP probe");
                    assertTrue(port.equals("http") || String.valueOf(port).equals(String.valueOf(listens)),
                            module + ": " + probe + " probes port " + port);
                    String path = Y.str(c, probe + ".httpGet.path");
                    assertTrue(path.startsWith("/q/health"), module + ": " + probe + " probes " + path);
                }
                assertEquals("/q/health/live", Y.str(c, "livenessProbe.httpGet.path"), module + " liveness");
                assertEquals("/q/health/ready", Y.str(c, "readinessProbe.httpGet.path"), module + " readiness");
                Map<String, Object> annotations = Y.mapAt(w, "spec.template.metadata.annotations");
                assertEquals("/q/metrics", annotations.get("prometheus.io/path"), module + ": metrics path annotation");
                assertEquals(String.valueOf(listens), annotations.get("prometheus.io/port"), module + ": metrics port annotation");
            }
        }
        for (Map<String, Object> svc : m.kind("Service")) {
            Map<String, Object> selector = Y.mapAt(svc, "spec.selector");
            assertFalse(selector.isEmpty(), "Service " + Manifests.name(svc) + " selects nothing");
            List<Map<String, Object>> targets = m.workloads().stream()
                    .filter(w -> NetworkPolicies.selects(Map.of("matchLabels", selector), labels(Manifests.podLabels(w)))).toList();
            assertEquals(1, targets.size(), overlay + ": Service " + Manifests.name(svc) + " should select one workload");
            Set<Object> portNames = new LinkedHashSet<>();
            for (Map<String, Object> c : Manifests.containers(targets.getFirst())) {
                for (Map<String, Object> p : Y.maps(c, "ports")) portNames.add(p.get("name"));
            }
            for (Map<String, Object> p : Y.maps(svc, "spec.ports")) {
                assertTrue(portNames.contains(p.get("targetPort")),
                        "Service " + Manifests.name(svc) + " targets port " + p.get("targetPort") + " not among " + portNames);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceGetsTheSettingsItCannotWorkWithout(String overlay) {
        Manifests m = Manifests.render(overlay);
        for (String module : Repo.SERVICES) {
            Map<String, Object> c = container(m, module);
            Set<String> env = m.env(c).keySet();
            for (String required : REQUIRED_ENV.get(module)) {
                assertTrue(env.contains(required), overlay + ": " + module + " gets no " + required);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void backendsTheTrainerDescribesAreServedByTheWorkersAndTheGateway(String overlay) {
        Manifests m = Manifests.render(overlay);
        Set<String> trainer = envBackends(m.env(container(m, "trainer-service")).keySet(), "DLN_TRAINER_BACKENDS_");
        assertFalse(trainer.isEmpty(), overlay + ": the trainer is told no backend's capabilities");
        for (String module : List.of("sampler-service", "scorer-service", "gateway")) {
            Set<String> known = new TreeSet<>(ServiceConfig.of(module).propertyBackends("dln.backends."));
            Set<String> fromEnv = envBackends(m.env(container(m, module)).keySet(), "DLN_BACKENDS_");
            known.addAll(fromEnv);
            for (String backend : trainer) {
                assertTrue(known.contains(backend), overlay + ": the trainer describes backend '" + backend + "' but "
                        + module + " knows only " + known);
            }
            for (String backend : fromEnv) {
                boolean hasUrl = m.env(container(m, module)).containsKey("DLN_BACKENDS_" + backend.toUpperCase() + "_BASE_URL")
                        || ServiceConfig.of(module).properties.containsKey("dln.backends." + backend + ".base-url");
                assertTrue(hasUrl, overlay + ": " + module + " configures backend '" + backend + "' without a base URL");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theScorerScalesOnTheLagOfItsConsumerGroup(String overlay) {
        Manifests m = Manifests.render(overlay);
        ServiceConfig scorer = ServiceConfig.of("scorer-service");
        String channel = "mp.messaging.incoming.\"dln.score.requests\".";
        String group = scorer.property(channel + "group.id").orElseThrow();
        String topic = scorer.property(channel + "topic").orElse("dln.score.requests");
        assertEquals("scorer-service", group, "the scorer's consumer group, from its application.properties");

        List<Map<String, Object>> scalers = m.kind("ScaledObject");
        assertEquals(1, scalers.size(), overlay + ": ScaledObjects");
        Map<String, Object> so = scalers.getFirst();
        assertEquals("scorer-service", Y.str(so, "spec.scaleTargetRef.name"));
        assertTrue(m.find("Deployment", "scorer-service").isPresent());
        assertFalse(Y.mapAt(m.get("Deployment", "scorer-service"), "spec").containsKey("replicas"),
                "scorer-service sets replicas, which would fight the autoscaler on every apply");
        List<Map<String, Object>> kafka = Y.maps(so, "spec.triggers").stream().filter(t -> "kafka".equals(t.get("type"))).toList();
        assertEquals(1, kafka.size(), "one kafka trigger");
        Map<String, Object> meta = Y.mapAt(kafka.getFirst(), "metadata");
        assertEquals(group, meta.get("consumerGroup"), "consumer group of the trigger");
        assertEquals(topic, meta.get("topic"), "topic of the trigger");
        String bootstrap = Manifests.values(m.env(container(m, "scorer-service"))).get("KAFKA_BOOTSTRAP_SERVERS");
        assertEquals(bootstrap, meta.get("bootstrapServers"), "the trigger reads lag from the scorer's own Kafka");
        int partitions = Repo.topics().get(topic);
        assertEquals(partitions, ((Number) Y.at(so, "spec.maxReplicaCount")).intValue(),
                "maxReplicaCount = partitions of " + topic + " (kafka/topics.txt)");
        int min = ((Number) Y.at(so, "spec.minReplicaCount")).intValue();
        assertTrue(min >= 1 && min <= partitions, "minReplicaCount " + min);
        assertTrue(Integer.parseInt(String.valueOf(meta.get("lagThreshold"))) > 0, "lagThreshold");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void replicasStayWithinThePartitionsTheyShare(String overlay) {
        Manifests m = Manifests.render(overlay);
        Map<String, Integer> topics = Repo.topics();
        Map<String, Object> trainer = m.get("Deployment", "trainer-service");
        int trainers = ((Number) Y.at(trainer, "spec.replicas")).intValue();
        String resultsPartitions = Manifests.values(m.env(container(m, "trainer-service"))).getOrDefault(
                "DLN_TRAINER_RESULTS_PARTITIONS", ServiceConfig.of("trainer-service").property("dln.trainer.results-partitions").orElse("6"));
        int slots = Integer.parseInt(resultsPartitions);
        assertTrue(trainers <= slots, overlay + ": " + trainers + " trainers but " + slots + " results partitions to share");
        assertTrue(slots <= topics.get("dln.results"), "dln.trainer.results-partitions exceeds the partitions of dln.results");
        assertEquals(0, ((Number) Y.at(trainer, "spec.strategy.rollingUpdate.maxSurge")).intValue(),
                "trainer rollouts must not surge past the results partitions");
        assertNull(Y.at(m.get("Deployment", "sampler-service"), "spec.replicas"), "the sampler's autoscaler owns its replicas");
        Object samplers = Y.at(m.get("HorizontalPodAutoscaler", "sampler-service"), "spec.maxReplicas");
        assertTrue(((Number) samplers).intValue() <= topics.get("dln.generate.requests"), "samplers beyond the partitions idle");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyDeploymentHasADisruptionBudget(String overlay) {
        Manifests m = Manifests.render(overlay);
        for (Map<String, Object> d : m.kind("Deployment")) {
            Map<String, String> labels = labels(Manifests.podLabels(d));
            List<Map<String, Object>> budgets = m.kind("PodDisruptionBudget").stream()
                    .filter(p -> NetworkPolicies.selects(Y.mapAt(p, "spec.selector"), labels)).toList();
            assertEquals(1, budgets.size(), overlay + ": PodDisruptionBudgets of " + Manifests.name(d));
            Map<String, Object> spec = Y.mapAt(budgets.getFirst(), "spec");
            assertTrue(spec.containsKey("minAvailable") ^ spec.containsKey("maxUnavailable"),
                    Manifests.name(d) + ": a budget sets one of minAvailable / maxUnavailable");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void onlyTheGatewayIsReachableFromOutsideTheNamespace(String overlay) {
        Manifests m = Manifests.render(overlay);
        String namespace = Y.str(m.kind("Namespace").getFirst(), "metadata.name");
        NetworkPolicies policies = new NetworkPolicies(m.kind("NetworkPolicy"), namespace);
        Source outside = Source.otherNamespace("a pod of another namespace", "elsewhere", Map.of("app", "anything"));
        Source prometheus = Source.otherNamespace("Prometheus", "monitoring", Map.of("app.kubernetes.io/name", "prometheus"));
        Source gatewayPod = Source.pod("the gateway", Map.of("app.kubernetes.io/name", "gateway", "app.kubernetes.io/part-of", "dln"));
        Source trainerPod = Source.pod("the trainer", Map.of("app.kubernetes.io/name", "trainer-service", "app.kubernetes.io/part-of", "dln"));
        Source samplerPod = Source.pod("the sampler", Map.of("app.kubernetes.io/name", "sampler-service", "app.kubernetes.io/part-of", "dln"));
        Source stranger = Source.pod("an unrelated pod of the namespace", Map.of("app", "debug"));
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> w : m.workloads()) {
            String name = Manifests.name(w);
            Map<String, String> labels = labels(Manifests.podLabels(w));
            for (Map<String, Object> c : Manifests.containers(w)) {
                for (Map<String, Object> p : Y.maps(c, "ports")) {
                    int port = ((Number) p.get("containerPort")).intValue();
                    String portName = (String) p.get("name");
                    boolean fromOutside = policies.allows(labels, port, portName, outside);
                    if (name.equals("gateway")) {
                        if (!fromOutside) problems.add("gateway port " + port + " is not reachable from outside");
                        continue;
                    }
                    if (fromOutside) problems.add(name + " port " + port + " is reachable from outside the namespace");
                    if (policies.allows(labels, port, portName, stranger)) {
                        problems.add(name + " port " + port + " is reachable from " + stranger.description());
                    }
                    boolean scraped = policies.allows(labels, port, portName, prometheus);
                    if ("http".equals(portName) && !scraped) problems.add(name + " port " + port + " cannot be scraped by Prometheus");
                    if (Repo.SERVICES.contains(name) && policies.allows(labels, port, portName, gatewayPod)) {
                        problems.add(name + " port " + port + " takes connections from the gateway, which needs none");
                    }
                    if (name.equals(Repo.SIMULATOR)) {
                        if (!policies.allows(labels, port, portName, samplerPod)) problems.add("the sampler cannot reach the simulator");
                        if (policies.allows(labels, port, portName, trainerPod)) problems.add("the trainer reaches the simulator");
                    }
                    if (name.equals("postgres")) {
                        if (!policies.allows(labels, port, portName, trainerPod)) problems.add("the trainer cannot reach PostgreSQL");
                        if (!policies.allows(labels, port, portName, gatewayPod)) problems.add("the gateway cannot reach PostgreSQL");
                        if (policies.allows(labels, port, portName, samplerPod)) problems.add("the sampler reaches PostgreSQL");
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), overlay + ":\n  " + String.join("\n  ", problems));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyInClusterAddressNamesSomethingTheOverlayRuns(String overlay) {
        Manifests m = Manifests.render(overlay);
        Set<String> hosts = new TreeSet<>();
        for (Map<String, Object> svc : m.kind("Service")) {
            for (Map<String, Object> p : Y.maps(svc, "spec.ports")) hosts.add(Manifests.name(svc) + ":" + p.get("port"));
        }
        for (Map<String, Object> k : m.kind("Kafka")) {
            for (Map<String, Object> l : Y.maps(k, "spec.kafka.listeners")) {
                if ("internal".equals(l.get("type"))) hosts.add(Manifests.name(k) + "-kafka-bootstrap:" + l.get("port"));
            }
        }
        for (String module : Repo.IMAGE_MODULES) {
            if (m.find("Deployment", module).isEmpty()) continue;
            Map<String, String> values = Manifests.values(m.env(container(m, module)));
            for (Map.Entry<String, String> e : values.entrySet()) {
                for (String address : addresses(e.getValue())) {
                    String host = address.substring(0, address.indexOf(':'));
                    if (host.contains(".") || host.equals("localhost")) continue; // outside the namespace
                    assertTrue(hosts.contains(address), overlay + ": " + module + " " + e.getKey() + "=" + e.getValue()
                            + " names " + address + ", which no Service of the overlay offers (" + hosts + ")");
                }
            }
        }
    }

    // ---------------------------------------------------------------- dev

    @Test
    void devRunsKafkaWithStrimziAndExactlyTheTopicsOfTheList() {
        Manifests m = Manifests.render("dev");
        List<Map<String, Object>> clusters = m.kind("Kafka");
        assertEquals(1, clusters.size(), "one Strimzi Kafka");
        String cluster = Manifests.name(clusters.getFirst());
        assertNotNull(Y.at(clusters.getFirst(), "spec.entityOperator.topicOperator"), "the topic operator reconciles KafkaTopics");
        assertTrue(m.kind("KafkaNodePool").stream().anyMatch(p -> cluster.equals(Y.mapAt(p, "metadata.labels").get("strimzi.io/cluster"))),
                "a KafkaNodePool of cluster " + cluster);
        Map<String, Integer> rendered = new TreeMap<>();
        for (Map<String, Object> t : m.kind("KafkaTopic")) {
            assertEquals(cluster, Y.mapAt(t, "metadata.labels").get("strimzi.io/cluster"), "cluster label of " + Manifests.name(t));
            String name = Y.str(t, "spec.topicName") != null ? Y.str(t, "spec.topicName") : Manifests.name(t);
            rendered.put(name, ((Number) Y.at(t, "spec.partitions")).intValue());
        }
        assertEquals(new TreeMap<>(Repo.topics()), rendered, "KafkaTopics vs kafka/topics.txt");
        String listenerPort = Y.maps(clusters.getFirst(), "spec.kafka.listeners").stream()
                .filter(l -> "internal".equals(l.get("type")) && Boolean.FALSE.equals(l.get("tls")))
                .map(l -> String.valueOf(l.get("port"))).findFirst().orElseThrow();
        for (String module : Repo.SERVICES) {
            assertEquals(cluster + "-kafka-bootstrap:" + listenerPort,
                    Manifests.values(m.env(container(m, module))).get("KAFKA_BOOTSTRAP_SERVERS"), module + " Kafka address");
        }
    }

    @Test
    void devBackendsAreTheSimulator() {
        Manifests m = Manifests.render("dev");
        String simulator = "http://llm-simulator:" + ServiceConfig.of(Repo.SIMULATOR).httpPort(Map.of()) + "/v1";
        for (String module : List.of("sampler-service", "scorer-service", "gateway")) {
            Map<String, String> values = Manifests.values(m.env(container(m, module)));
            assertEquals(simulator, values.get("DLN_SIM_URL"), module + " DLN_SIM_URL");
            assertEquals(simulator, values.get("DLN_BACKENDS_SIMULATOR_BASE_URL"), module + " backend simulator");
        }
        assertEquals(0, m.kind("Secret").stream().filter(s -> !Manifests.name(s).startsWith("dln-")).count(), "secrets");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void gatewayAndSamplerScaleByAutoscalersThatOwnTheirReplicas(String overlay) {
        Manifests m = Manifests.render(overlay);
        for (String module : List.of("gateway", "sampler-service")) {
            Map<String, Object> hpa = m.get("HorizontalPodAutoscaler", module);
            assertEquals("autoscaling/v2", hpa.get("apiVersion"), module);
            assertEquals("Deployment", Y.str(hpa, "spec.scaleTargetRef.kind"), module);
            assertEquals(module, Y.str(hpa, "spec.scaleTargetRef.name"), module);
            assertNull(Y.at(m.get("Deployment", module), "spec.replicas"), module + ": replicas belong to its autoscaler");
            int min = ((Number) Y.at(hpa, "spec.minReplicas")).intValue();
            int max = ((Number) Y.at(hpa, "spec.maxReplicas")).intValue();
            assertTrue(1 <= min && min <= max, module + ": " + min + " to " + max + " replicas");
            assertTrue(Y.maps(hpa, "spec.metrics").stream().anyMatch(x -> "cpu".equals(Y.str(x, "resource.name"))), module);
        }
        assertEquals(1, m.kind("ScaledObject").size(), "the scorer keeps its KEDA scaler");
    }

    @Test
    void prodIsScrapedByAServiceMonitorAndReachedThroughAnIngress() {
        Manifests m = Manifests.render("prod");
        Map<String, Object> monitor = m.get("ServiceMonitor", "dln");
        Map<String, String> selector = labels(Y.mapAt(monitor, "spec.selector.matchLabels"));
        List<Map<String, Object>> scraped = m.kind("Service").stream()
                .filter(s -> labels(Y.mapAt(s, "metadata.labels")).entrySet().containsAll(selector.entrySet())).toList();
        assertEquals(new TreeSet<>(Repo.SERVICES), new TreeSet<>(scraped.stream().map(Manifests::name).toList()),
                "the ServiceMonitor selects the services' Services");
        for (Map<String, Object> endpoint : Y.maps(monitor, "spec.endpoints")) {
            assertEquals("/q/metrics", endpoint.get("path"));
            for (Map<String, Object> service : scraped) {
                assertTrue(Y.maps(service, "spec.ports").stream().anyMatch(p -> endpoint.get("port").equals(p.get("name"))),
                        Manifests.name(service) + " has the port " + endpoint.get("port"));
            }
        }
        Map<String, Object> ingress = m.get("Ingress", "gateway");
        for (Map<String, Object> rule : Y.maps(ingress, "spec.rules")) {
            for (Map<String, Object> path : Y.maps(rule, "http.paths")) {
                assertEquals("gateway", Y.str(path, "backend.service.name"), "only the gateway is exposed");
                String port = Y.str(path, "backend.service.port.name");
                assertTrue(Y.maps(m.get("Service", "gateway"), "spec.ports").stream().anyMatch(p -> port.equals(p.get("name"))),
                        "the gateway Service has the port " + port);
            }
        }
    }

    // ---------------------------------------------------------------- prod

    @Test
    void prodKeepsNoSecretAndRunsNothingButTheServices() {
        Manifests m = Manifests.render("prod");
        assertTrue(m.kind("Secret").isEmpty(), "prod renders no Secret: they are created outside the repository");
        for (String kind : List.of("Kafka", "KafkaTopic", "KafkaNodePool", "StatefulSet")) {
            assertTrue(m.kind(kind).isEmpty(), "prod runs no " + kind + ": Kafka and PostgreSQL are external");
        }
        assertTrue(m.find("Deployment", Repo.SIMULATOR).isEmpty(), "prod runs no simulator");
        for (String module : Repo.SERVICES) {
            Map<String, String> values = Manifests.values(m.env(container(m, module)));
            for (String address : addresses(values.get("KAFKA_BOOTSTRAP_SERVERS"))) {
                assertTrue(address.substring(0, address.indexOf(':')).contains("."), module + ": Kafka is external: " + address);
            }
        }
        for (String module : List.of("sampler-service", "scorer-service", "gateway")) {
            Map<String, EnvSource> env = m.env(container(m, module));
            assertFalse(apiKeyVariables(env).isEmpty(), module + ": the external LLM server's key is named");
            List<String> urls = env.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("DLN_BACKENDS_") && e.getKey().endsWith("_BASE_URL"))
                    .map(e -> e.getValue().value()).toList();
            assertFalse(urls.isEmpty(), module + ": an LLM backend is configured");
            for (String url : urls) {
                assertTrue(URI.create(url).getHost().contains("."), module + ": the LLM server is external: " + url);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The module of a container's dln/&lt;module&gt; image, or null for another image. */
    static String module(Map<String, Object> container) {
        Matcher m = DLN_IMAGE.matcher(String.valueOf(container.get("image")));
        return m.matches() ? m.group(1) : null;
    }

    private static Map<String, Object> container(Manifests m, String module) {
        return Manifests.containers(m.get("Deployment", module)).stream()
                .filter(c -> module.equals(module(c))).findFirst()
                .orElseThrow(() -> new AssertionError(m.overlay + ": no container of image dln/" + module));
    }

    /** Variables named as API key holders by dln.backends.&lt;name&gt;.api-key-env. */
    private static Set<String> apiKeyVariables(Map<String, EnvSource> env) {
        Set<String> names = new TreeSet<>();
        env.forEach((k, v) -> {
            if (k.startsWith("DLN_BACKENDS_") && k.endsWith("_API_KEY_ENV") && v.value() != null) names.add(v.value());
        });
        return names;
    }

    private static Set<String> envBackends(Set<String> env, String prefix) {
        Set<String> names = new TreeSet<>();
        for (String k : env) {
            if (k.startsWith(prefix)) names.add(k.substring(prefix.length()).split("_")[0].toLowerCase(java.util.Locale.ROOT));
        }
        return names;
    }

    private static boolean mountsEmptyDir(Map<String, Object> pod, Map<String, Object> container, String path) {
        for (Map<String, Object> mount : Y.maps(container, "volumeMounts")) {
            if (!path.equals(mount.get("mountPath"))) continue;
            for (Map<String, Object> v : Y.maps(pod, "volumes")) {
                if (mount.get("name").equals(v.get("name")) && v.containsKey("emptyDir")) return true;
            }
        }
        return false;
    }

    private static Map<String, String> labels(Map<String, Object> raw) {
        Map<String, String> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    /** host:port pairs in a value: a URL's authority, a JDBC URL's, or a comma-separated bootstrap list. */
    static List<String> addresses(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) return out;
        Matcher url = Pattern.compile("^(?:jdbc:)?[a-z][a-z0-9+.-]*://([^/:?#]+):(\\d+)").matcher(value);
        if (url.find()) {
            out.add(url.group(1) + ":" + url.group(2));
            return out;
        }
        if (value.matches("[A-Za-z0-9.-]+:\\d+(,[A-Za-z0-9.-]+:\\d+)*")) out.addAll(List.of(value.split(",")));
        return out;
    }

    private static String describe(EnvSource s) {
        return switch (s.kind()) {
            case "configMap" -> "ConfigMap " + s.object() + " key " + s.key();
            case "secret" -> "Secret " + s.object() + " key " + s.key();
            case "value" -> "a literal value";
            default -> s.kind();
        };
    }
}
