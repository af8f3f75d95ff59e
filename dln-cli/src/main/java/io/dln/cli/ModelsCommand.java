package io.dln.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.dln.cli.gateway.Api;
import io.dln.cli.gateway.GatewayClient;
import io.dln.cli.gateway.GatewayException;
import io.dln.cli.gateway.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "models", description = "Trained DLNs in the registry: list, versions, show, promote, demote, export, import.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Versions.class, ModelsCommand.Show.class,
                ModelsCommand.Promote.class, ModelsCommand.Demote.class, ModelsCommand.Export.class, ModelsCommand.Import.class})
final class ModelsCommand {

    static final TypeReference<Map<String, Integer>> ALIASES = new TypeReference<>() {
    };

    static String path(String name) {
        return "/api/models/" + GatewayClient.encode(name);
    }

    /** A version number, or the version an alias points at ("latest": the newest). */
    static int version(GatewayClient client, String name, String versionOrAlias) {
        if (versionOrAlias.matches("\\d+")) return Integer.parseInt(versionOrAlias);
        if (versionOrAlias.equals("latest")) {
            List<Api.VersionSummary> versions = client.get(path(name) + "/versions", new TypeReference<List<Api.VersionSummary>>() {
            });
            if (versions.isEmpty()) throw new GatewayException(404, "not_found", "model " + name + " has no versions", List.of());
            return versions.stream().mapToInt(Api.VersionSummary::version).max().orElseThrow();
        }
        Integer version = client.get(path(name) + "/aliases", ALIASES).get(versionOrAlias);
        if (version == null) {
            throw new GatewayException(404, "not_found", "model " + name + " has no alias '" + versionOrAlias + "'", List.of());
        }
        return version;
    }

    static String metric(Map<String, Object> metrics, String key) {
        Object value = metrics == null ? null : metrics.get(key);
        return value instanceof Number n ? Format.percent(n.doubleValue()) : "-";
    }

    @Command(name = "list", description = "List the trained DLNs with their newest version and aliases.")
    static final class ListModels implements Callable<Integer> {
        @Mixin GatewayOptions gateway;
        @Mixin OutputOptions output;

        @Override
        public Integer call() {
            List<Api.ModelSummary> models = gateway.client().get("/api/models", new TypeReference<List<Api.ModelSummary>>() {
            });
            if (output.json) {
                System.out.println(Json.pretty(models));
                return ExitCodes.OK;
            }
            if (output.quiet) {
                models.forEach(m -> System.out.println(m.name()));
                return ExitCodes.OK;
            }
            Format.Table table = new Format.Table("NAME", "LATEST", "VERSIONS", "ALIASES", "UPDATED");
            for (Api.ModelSummary m : models) {
                table.row(m.name(), m.latestVersion(), m.versions(), aliases(m.aliases()), Format.time(m.updatedAt()));
            }
            System.out.print(table.empty() ? "No trained DLNs.\n" : table.render());
            return ExitCodes.OK;
        }

        private static String aliases(Map<String, Integer> aliases) {
            if (aliases == null || aliases.isEmpty()) return "-";
            StringBuilder sb = new StringBuilder();
            aliases.forEach((a, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(a).append("→").append(v));
            return sb.toString();
        }
    }

    @Command(name = "versions", description = "List the versions of a trained DLN, newest first.")
    static final class Versions implements Callable<Integer> {
        @Mixin GatewayOptions gateway;
        @Mixin OutputOptions output;
        @Parameters(paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            List<Api.VersionSummary> versions = gateway.client().get(path(name) + "/versions", new TypeReference<List<Api.VersionSummary>>() {
            });
            if (output.json) {
                System.out.println(Json.pretty(versions));
                return ExitCodes.OK;
            }
            if (output.quiet) {
                versions.forEach(v -> System.out.println(v.version()));
                return ExitCodes.OK;
            }
            Format.Table table = new Format.Table("VERSION", "LAYERS", "DEV", "TEST", "ALIASES", "RUN", "CREATED");
            for (Api.VersionSummary v : versions) {
                table.row(v.version(), v.layers(), metric(v.metrics(), "devAccuracy"), metric(v.metrics(), "testAccuracy"),
                        v.aliases() == null || v.aliases().isEmpty() ? "-" : String.join(", ", v.aliases()), v.sourceRunId(),
                        Format.time(v.createdAt()));
            }
            System.out.print(table.render());
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "Show one version as JSON: prompts, templates, settings, metrics.")
    static final class Show implements Callable<Integer> {
        @Mixin GatewayOptions gateway;
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1", paramLabel = "VERSION|ALIAS", defaultValue = "latest", description = "Default: ${DEFAULT-VALUE}.")
        String version;

        @Override
        public Integer call() {
            GatewayClient client = gateway.client();
            System.out.println(Json.pretty(client.get(path(name) + "/versions/" + version(client, name, version), JsonNode.class)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "promote", description = "Point an alias (default: prod) at a version; calls without a version use 'prod'.")
    static final class Promote implements Callable<Integer> {
        @Mixin GatewayOptions gateway;
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1", paramLabel = "VERSION", description = "A version number, an alias, or 'latest'.") String version;
        @Option(names = "--alias", defaultValue = "prod", description = "Default: ${DEFAULT-VALUE}.") String alias;
        @Option(names = "--if-better", description = "Only when the version's dev accuracy is at least that of the version the "
                + "alias points at now; otherwise the alias stays where it is (exit 0 either way).")
        boolean ifBetter;

        @Override
        public Integer call() {
            GatewayClient client = gateway.client();
            int v = version(client, name, version);
            Integer current = ifBetter ? client.get(path(name) + "/aliases", ALIASES).get(alias) : null;
            if (current != null && current != v) {
                double candidate = devAccuracy(client, name, v);
                double now = devAccuracy(client, name, current);
                if (candidate < now) {
                    System.out.printf("%s:%s stays at version %d (dev accuracy %s): version %d has a lower one (%s).%n", name, alias,
                            current, Format.percent(now), v, Format.percent(candidate));
                    return ExitCodes.OK;
                }
            }
            client.put(path(name) + "/aliases/" + GatewayClient.encode(alias), new Api.SetAlias(v), ALIASES);
            System.out.printf("%s:%s now points at version %d (OpenAI model dln/%s:%s).%n", name, alias, v, name, alias);
            return ExitCodes.OK;
        }
    }

    /** The dev accuracy a version was registered with; -1 when it has none (an imported version may not). */
    static double devAccuracy(GatewayClient client, String name, int version) {
        JsonNode dev = client.get(path(name) + "/versions/" + version, JsonNode.class).path("metrics").path("devAccuracy");
        return dev.isNumber() ? dev.asDouble() : -1;
    }

    @Command(name = "demote", description = "Delete an alias.")
    static final class Demote implements Callable<Integer> {
        @Mixin GatewayOptions gateway;
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--alias", defaultValue = "prod", description = "Default: ${DEFAULT-VALUE}.") String alias;

        @Override
        public Integer call() {
            gateway.client().delete(path(name) + "/aliases/" + GatewayClient.encode(alias));
            System.out.printf("Deleted the alias %s:%s.%n", name, alias);
            return ExitCodes.OK;
        }
    }

    @Command(name = "export", description = "Write a version as a portable JSON document that 'dln models import' takes back.")
    static final class Export implements Callable<Integer> {
        @Mixin GatewayOptions gateway;
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1", paramLabel = "VERSION|ALIAS", defaultValue = "latest", description = "Default: ${DEFAULT-VALUE}.")
        String version;
        @Option(names = "--out", paramLabel = "FILE", description = "Default: standard output.") Path out;

        @Override
        public Integer call() throws IOException {
            GatewayClient client = gateway.client();
            int v = version(client, name, version);
            String document = client.getText(path(name) + "/versions/" + v + "/export");
            if (out == null) {
                System.out.println(document);
            } else {
                Files.writeString(out, document, StandardCharsets.UTF_8);
                System.err.printf("Exported %s version %d to %s%n", name, v, out);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "import", description = "Store an exported document as the next version of its name (or of --name).")
    static final class Import implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin GatewayOptions gateway;
        @Mixin OutputOptions output;
        @Parameters(paramLabel = "FILE") Path file;
        @Option(names = "--name", description = "Import under this name instead of the document's.") String name;

        @Override
        public Integer call() throws IOException {
            if (!Files.isReadable(file)) throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + file);
            JsonNode created = gateway.client().postText(GatewayClient.query("/api/models/import", GatewayClient.params("name", name)),
                    Files.readString(file, StandardCharsets.UTF_8), JsonNode.class);
            if (output.json) System.out.println(Json.pretty(created));
            else if (output.quiet) System.out.println(created.path("version").asInt());
            else System.out.printf("Imported %s as version %d.%n", created.path("name").asText(), created.path("version").asInt());
            return ExitCodes.OK;
        }
    }
}
