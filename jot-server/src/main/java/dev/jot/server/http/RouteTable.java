package dev.jot.server.http;

import io.javalin.config.RoutesConfig;

/** One area's routes, declared in one place so the whole API can be read quickly. */
public interface RouteTable {
    void addTo(RoutesConfig routes);
}
