package io.dln.cli;

import io.dln.cli.gateway.GatewayClient;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.URI;

/** Where the gateway is and the API key to call it with: options of every command that talks to it. */
final class GatewayOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--gateway", paramLabel = "URL", defaultValue = "${DLN_GATEWAY_URL:-http://localhost:8080}",
            description = "The gateway's URL (default: $DLN_GATEWAY_URL, else ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${DLN_API_KEY}",
            description = "API key (default: $DLN_API_KEY). Prefer the variable: a key on the command line shows in 'ps'.")
    String apiKey;

    GatewayClient client() {
        try {
            URI uri = URI.create(url.strip());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--gateway: '" + url + "' is not a URL like http://localhost:8080 (" + e.getMessage() + ")");
        }
        return new GatewayClient(url.strip(), apiKey);
    }
}
