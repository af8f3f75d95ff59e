package io.dln.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dln.cli.gateway.Api;
import io.dln.cli.gateway.GatewayClient;
import io.dln.cli.gateway.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "keys", description = "API keys (an admin key is needed): create, list, revoke.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {

    @Command(name = "create", description = "Create a key; it is shown this once.")
    static final class Create implements Callable<Integer> {
        @Mixin GatewayOptions gateway;
        @Mixin OutputOptions output;
        @Option(names = "--name", required = true) String name;
        @Option(names = "--role", defaultValue = "trainer", description = "admin, trainer or inference (default: ${DEFAULT-VALUE}).") String role;
        @Option(names = "--tenant", description = "Default: the creating key's tenant.") String tenant;

        @Override
        public Integer call() {
            Api.CreatedKey k = gateway.client().post("/api/admin/keys", new Api.CreateKey(name, role, tenant), Api.CreatedKey.class);
            if (output.json) System.out.println(Json.pretty(k));
            else if (output.quiet) System.out.println(k.key());
            else System.out.printf("Created key '%s' (%s, tenant %s, id %s):%n%s%nKeep it now: it is not shown again.%n",
                        k.details().name(), k.details().role(), k.details().tenant(), k.details().id(), k.key());
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "List keys (never the keys themselves, only their first characters).")
    static final class ListKeys implements Callable<Integer> {
        @Mixin GatewayOptions gateway;
        @Mixin OutputOptions output;
        @Option(names = "--tenant", description = "Only this tenant's (the operator's bootstrap key sees all).") String tenant;

        @Override
        public Integer call() {
            List<Api.Key> keys = gateway.client().get(GatewayClient.query("/api/admin/keys", GatewayClient.params("tenant", tenant)),
                    new TypeReference<List<Api.Key>>() {
                    });
            if (output.json) {
                System.out.println(Json.pretty(keys));
                return ExitCodes.OK;
            }
            Format.Table table = new Format.Table("ID", "NAME", "TENANT", "ROLE", "PREFIX", "CREATED", "REVOKED");
            for (Api.Key k : keys) {
                table.row(k.id(), k.name(), k.tenant(), k.role(), k.prefix(), Format.time(k.createdAt()),
                        k.revokedAt() == null ? "-" : Format.time(k.revokedAt()));
            }
            System.out.print(table.empty() ? "No keys.\n" : table.render());
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", description = "Revoke a key by its id.")
    static final class Revoke implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin GatewayOptions gateway;
        @Parameters(paramLabel = "KEY_ID") String id;

        @Override
        public Integer call() {
            if (DatasetsCommand.uuid(id) == null) throw new CommandLine.ParameterException(spec.commandLine(), "'" + id + "' is not a key id");
            gateway.client().delete("/api/admin/keys/" + id);
            System.out.printf("Revoked key %s.%n", id);
            return ExitCodes.OK;
        }
    }
}
