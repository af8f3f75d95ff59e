package io.dln.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** TCP ports on the loopback interface that were free a moment ago, never the same one twice in a JVM. */
public final class FreePorts {

    private static final Set<Integer> GIVEN = new HashSet<>();

    private FreePorts() {
    }

    public static synchronized int next() {
        for (int tries = 0; tries < 50; tries++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                int port = socket.getLocalPort();
                if (GIVEN.add(port)) return port;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open a server socket on the loopback interface", e);
            }
        }
        throw new IllegalStateException("no free port found");
    }
}
