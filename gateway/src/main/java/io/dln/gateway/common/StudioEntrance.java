package io.dln.gateway.common;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code /studio} leads to {@code /studio/}: the Studio's pages come from the studio jar's static resources, which
 * answer only at the folder's own path, and a person types the address without the slash.
 */
@ApplicationScoped
public class StudioEntrance {

    void install(@Observes Router router) {
        // Vert.x matches "/studio/" to this route too: only the address without the slash is sent on
        router.get("/studio").handler(context -> {
            if (context.request().path().equals("/studio")) context.redirect("/studio/");
            else context.next();
        });
    }
}
