package io.dln.simulator.api;

/** JSON string quoting for tests in other packages. */
public final class ApiJson {

    private ApiJson() {
    }

    public static String quote(String s) {
        return Api.quote(s);
    }
}
