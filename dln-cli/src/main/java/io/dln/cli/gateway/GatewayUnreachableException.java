package io.dln.cli.gateway;

/** Nothing answers at the gateway's URL, or the connection broke: says where and how to start one. */
public final class GatewayUnreachableException extends RuntimeException {

    public GatewayUnreachableException(String url, Throwable cause) {
        super("cannot reach the gateway at " + url + " (" + reason(cause) + "). Start everything locally with './dln demo', "
                + "or the gateway alone with 'java -jar gateway/target/quarkus-app/quarkus-run.jar'; "
                + "--gateway or DLN_GATEWAY_URL point the CLI at another one.", cause);
    }

    private static String reason(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof java.net.ConnectException) return "connection refused";
            if (t instanceof java.net.http.HttpConnectTimeoutException) return "connection timed out";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getMessage() == null || root.getMessage().isBlank() ? root.getClass().getSimpleName() : root.getMessage();
    }
}
