package io.dln.gateway.support;

import io.dln.testkit.FreePorts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.Map;

/**
 * Puts a {@link TcpProxy} between the gateway and PostgreSQL, so a test can take the database away and bring it back.
 * The test and this resource see classes through different class loaders: the proxy is reached through the JVM's
 * MBean server ({@link #cut()}, {@link #restore()}), which both see alike.
 */
public class DatabaseProxyResource implements QuarkusTestResourceLifecycleManager {

    private static final String NAME = "io.dln.test:type=DatabaseProxy";
    private TcpProxy proxy;

    /** What the MBean server offers of the proxy. */
    public interface ControlMBean {
        void cut();

        void restore();
    }

    @Override
    public Map<String, String> start() {
        String url = System.getenv().getOrDefault("DLN_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        URI target = URI.create(url.substring("jdbc:".length()));
        proxy = new TcpProxy(FreePorts.next(), target.getHost(), target.getPort() < 0 ? 5432 : target.getPort());
        proxy.start();
        TcpProxy started = proxy;
        register(new ControlMBean() {
            @Override
            public void cut() {
                started.stop();
            }

            @Override
            public void restore() {
                started.start();
            }
        });
        return Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + target.getPath());
    }

    /** Closes every database connection and refuses new ones. */
    public static void cut() {
        invoke("cut");
    }

    public static void restore() {
        invoke("restore");
    }

    @Override
    public void stop() {
        if (proxy != null) proxy.stop();
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(new ObjectName(NAME));
        } catch (Exception ignored) {
            // not registered
        }
    }

    private static void register(ControlMBean control) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(NAME);
            if (server.isRegistered(name)) server.unregisterMBean(name);
            server.registerMBean(new StandardMBean(control, ControlMBean.class), name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void invoke(String operation) {
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(NAME), operation, new Object[0], new String[0]);
        } catch (Exception e) {
            throw new IllegalStateException("the database proxy did not " + operation, e);
        }
    }
}
