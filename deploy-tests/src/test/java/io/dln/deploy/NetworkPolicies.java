package io.dln.deploy;

import java.util.List;
import java.util.Map;

/**
 * Evaluates the ingress NetworkPolicies of one namespace the way Kubernetes defines them: a pod selected by no
 * Ingress policy accepts everything; a selected pod accepts a connection when some policy selecting it has a rule
 * whose {@code from} matches the source (absent or empty = any source) and whose {@code ports} match the port
 * (absent or empty = any port). Peers: podSelector alone = pods of the policy's namespace; namespaceSelector alone =
 * every pod of the matching namespaces; both = matching pods in matching namespaces; ipBlock = any address (taken as
 * "from outside" here, conservatively).
 */
final class NetworkPolicies {

    /** Where a connection comes from. */
    record Source(String description, boolean sameNamespace, Map<String, String> namespaceLabels,
                  Map<String, String> podLabels) {

        static Source pod(String description, Map<String, String> labels) {
            return new Source(description, true, Map.of(), labels);
        }

        static Source otherNamespace(String description, String namespace, Map<String, String> podLabels) {
            return new Source(description, false, Map.of("kubernetes.io/metadata.name", namespace), podLabels);
        }
    }

    private final List<Map<String, Object>> policies;
    private final String namespace;

    NetworkPolicies(List<Map<String, Object>> policies, String namespace) {
        this.policies = policies;
        this.namespace = namespace;
    }

    /**
     * Whether {@code source} may open a connection to a pod with {@code podLabels} on container port {@code port}
     * (named {@code portName} in the pod, or null).
     */
    boolean allows(Map<String, String> podLabels, int port, String portName, Source source) {
        boolean isolated = false;
        for (Map<String, Object> policy : policies) {
            if (!selects(Y.mapAt(policy, "spec.podSelector"), podLabels)) continue;
            List<Object> types = Y.listAt(policy, "spec.policyTypes");
            boolean ingress = types.isEmpty() ? true : types.contains("Ingress");
            if (!ingress) continue;
            isolated = true;
            for (Map<String, Object> rule : Y.maps(policy, "spec.ingress")) {
                if (fromMatches(Y.maps(rule, "from"), source) && portMatches(Y.maps(rule, "ports"), port, portName)) {
                    return true;
                }
            }
        }
        return !isolated;
    }

    private boolean fromMatches(List<Map<String, Object>> peers, Source source) {
        if (peers.isEmpty()) return true;
        for (Map<String, Object> peer : peers) {
            if (peer.containsKey("ipBlock")) {
                if (!source.sameNamespace()) return true;
                continue;
            }
            boolean hasPods = peer.containsKey("podSelector");
            boolean hasNamespaces = peer.containsKey("namespaceSelector");
            boolean namespaceOk = hasNamespaces
                    ? selects(Y.mapAt(peer, "namespaceSelector"), source.sameNamespace()
                    ? Map.of("kubernetes.io/metadata.name", namespace) : source.namespaceLabels())
                    : source.sameNamespace();
            boolean podOk = !hasPods || selects(Y.mapAt(peer, "podSelector"), source.podLabels());
            if (namespaceOk && podOk) return true;
        }
        return false;
    }

    private static boolean portMatches(List<Map<String, Object>> ports, int port, String portName) {
        if (ports.isEmpty()) return true;
        for (Map<String, Object> p : ports) {
            Object value = p.get("port");
            if (value == null) return true;
            if (value instanceof Number n) {
                int from = n.intValue();
                Object end = p.get("endPort");
                int to = end instanceof Number e ? e.intValue() : from;
                if (port >= from && port <= to) return true;
            } else if (String.valueOf(value).equals(portName) || String.valueOf(value).equals(String.valueOf(port))) {
                return true;
            }
        }
        return false;
    }

    /** A LabelSelector (matchLabels and matchExpressions) against labels; an empty selector selects everything. */
    static boolean selects(Map<String, Object> selector, Map<String, String> labels) {
        for (Map.Entry<String, Object> e : Y.mapAt(selector, "matchLabels").entrySet()) {
            if (!String.valueOf(e.getValue()).equals(labels.get(e.getKey()))) return false;
        }
        for (Map<String, Object> expr : Y.maps(selector, "matchExpressions")) {
            String key = Y.str(expr, "key");
            List<Object> values = Y.listAt(expr, "values");
            String actual = labels.get(key);
            boolean ok = switch (Y.str(expr, "operator")) {
                case "In" -> actual != null && values.contains(actual);
                case "NotIn" -> actual == null || !values.contains(actual);
                case "Exists" -> actual != null;
                case "DoesNotExist" -> actual == null;
                default -> throw new AssertionError("unknown selector operator in " + expr);
            };
            if (!ok) return false;
        }
        return true;
    }
}
