package io.dln.gateway.common;

import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import io.vertx.core.Handler;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.Deployment;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import org.jboss.logging.Logger;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Makes {@link UnreadableRequests} the invalid-request handler of the HTTP servers Quarkus started, so that requests the
 * HTTP decoder rejects get a JSON error rather than Vert.x's empty 400/414/431.
 * <p>
 * Why reflection: Vert.x has a public setter for this ({@code HttpServer#invalidRequestHandler}), but it must be called
 * before {@code listen}, and Quarkus (3.33, Vert.x 4.5) creates and starts its servers in one go inside its own verticle
 * ({@code VertxHttpRecorder.WebDeploymentVerticle#start}) without exposing them: its hooks give the options only
 * ({@code HttpServerOptionsCustomizer}, the {@code HttpServerStart} event), and neither {@code HttpServerOptions} nor
 * {@code VertxOptions} has a setting for the handler. A started server has copied its handler into the connection
 * handler of each of its workers, so that copy is the one replaced, for the connections accepted afterwards.
 * <p>
 * What is touched, by name: Vert.x's {@code TCPServerBase.childHandler} (the server's worker),
 * {@code HttpServerWorker.connectionHandler} and {@code HttpServerConnectionHandler.invalidRequestHandler}; Quarkus'
 * servers are found as the {@link HttpServer} fields of the verticles Vert.x has deployed, whatever their names. Should
 * any of this change with a Vert.x upgrade, the gateway logs a warning and keeps Vert.x's empty answers (see
 * InputHardeningTest, which then fails).
 */
@ApplicationScoped
public class InvalidRequestHandlerHook {

    private static final Logger LOG = Logger.getLogger(InvalidRequestHandlerHook.class);
    /** Quarkus starts one server per I/O thread, on event loops of their own: they are looked for until all have started. */
    private static final long LOOK_EVERY_MS = 20;
    private static final long GIVE_UP_AFTER_MS = 10_000;

    private final Vertx vertx;
    private final Handler<HttpServerRequest> handler = new UnreadableRequests();
    private final Set<Object> installed = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    public InvalidRequestHandlerHook(Vertx vertx) {
        this.vertx = vertx;
    }

    void httpStarted(@ObservesAsync HttpServerStart started) {
        installUntilAllStarted(System.currentTimeMillis() + GIVE_UP_AFTER_MS);
    }

    void httpsStarted(@ObservesAsync HttpsServerStart started) {
        installUntilAllStarted(System.currentTimeMillis() + GIVE_UP_AFTER_MS);
    }

    private void installUntilAllStarted(long giveUpAt) {
        Scan scan;
        try {
            scan = installEverywhere();
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf(e, "Requests the HTTP decoder rejects keep Vert.x's empty answers: its invalid-request handler could not be replaced");
            return;
        }
        if (scan.complete()) {
            LOG.debugf("JSON answers for requests the HTTP decoder rejects on %d HTTP server(s)", installed.size());
        } else if (System.currentTimeMillis() < giveUpAt) {
            vertx.setTimer(LOOK_EVERY_MS, id -> installUntilAllStarted(giveUpAt));
        } else {
            LOG.warnf("Requests the HTTP decoder rejects keep Vert.x's empty answers on some HTTP servers: %d of them did not"
                    + " start within %d s", scan.pending(), GIVE_UP_AFTER_MS / 1000);
        }
    }

    /** Whether every verticle with HTTP servers has started them all, and how many had not. */
    private record Scan(int servers, int pending) {
        boolean complete() {
            return servers > 0 && pending == 0;
        }
    }

    private Scan installEverywhere() throws ReflectiveOperationException {
        VertxInternal internal = (VertxInternal) vertx;
        int servers = 0;
        int pending = 0;
        for (String id : vertx.deploymentIDs()) {
            Deployment deployment = internal.getDeployment(id);
            if (deployment == null) continue;
            for (Verticle verticle : deployment.getVerticles()) {
                int found = 0;
                for (Class<?> c = verticle.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                    for (Field field : c.getDeclaredFields()) {
                        if (!HttpServer.class.isAssignableFrom(field.getType())) continue;
                        field.setAccessible(true);
                        Object server = field.get(verticle);
                        if (server == null) continue;
                        found++;
                        if (!install(server)) pending++;
                    }
                }
                servers += found;
                if (found == 0 && declaresHttpServer(verticle)) pending++; // not started yet
            }
        }
        return new Scan(servers, pending);
    }

    /** Replaces the handler in the started server's connection handler; false if the server has not started listening. */
    private boolean install(Object server) throws ReflectiveOperationException {
        Object worker = read(server, "io.vertx.core.net.impl.TCPServerBase", "childHandler");
        if (worker == null) return false;
        if (installed.contains(worker)) return true;
        Object connections = read(worker, "io.vertx.core.http.impl.HttpServerWorker", "connectionHandler");
        // final in Vert.x, written once here, before the connections it applies to are accepted
        field(connections, "io.vertx.core.http.impl.HttpServerConnectionHandler", "invalidRequestHandler").set(connections, handler);
        installed.add(worker);
        return true;
    }

    private static boolean declaresHttpServer(Verticle verticle) {
        for (Class<?> c = verticle.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (HttpServer.class.isAssignableFrom(field.getType())) return true;
            }
        }
        return false;
    }

    private static Object read(Object target, String declaringClass, String name) throws ReflectiveOperationException {
        return field(target, declaringClass, name).get(target);
    }

    private static Field field(Object target, String declaringClass, String name) throws NoSuchFieldException {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(declaringClass)) {
                Field field = c.getDeclaredField(name);
                field.setAccessible(true);
                return field;
            }
        }
        throw new NoSuchFieldException(declaringClass + "." + name + " in " + target.getClass().getName());
    }
}
