package dev.jot.guard;

import dev.jot.guard.javalin.JotGuardPlugin;
import io.javalin.Javalin;
import java.util.List;

/** {@link MeteredAdapterTest} for {@link JotGuardPlugin} in a real Javalin 7 server. */
class JavalinMeteringTest extends MeteredAdapterTest {

    private Javalin app;

    @Override
    String start(Guard guard) {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.registerPlugin(new JotGuardPlugin(guard, List.of(AccessRule.path("/health", Access.publicAccess()))));
            config.routes.get("/health", ctx -> ctx.result("ok"));
            config.routes.get("/orders/{id}", ctx -> ctx.status(ctx.pathParam("id").equals("0") ? 404 : 200).result("{}"));
        }).start("127.0.0.1", 0);
        return "http://127.0.0.1:" + app.port();
    }

    @Override
    void stop() {
        app.stop();
    }

    @Override
    String ordersRoute() {
        return "/orders/{id}";
    }
}
