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
            config.routes.get("/broken/{id}", ctx -> {
                throw new IllegalStateException("a handler that fails");
            });
        }).start("127.0.0.1", 0);
        return "http://127.0.0.1:" + app.port();
    }

    @Override
    void stop() {
        app.stop();
    }

    @org.junit.jupiter.api.Test
    void aHandlerThatThrowsIsCountedWithTheStatusItsExceptionGot() throws Exception {
        Http.Reply r = Http.get(base + "/broken/7", "Authorization", Http.bearer(token("ada", 10)));
        org.assertj.core.api.Assertions.assertThat(r.status()).isEqualTo(500);
        org.assertj.core.api.Assertions.assertThat(counted(1)).containsOnly(java.util.Map.entry("ada /broken/{id} 5xx", 1L));
    }

    @Override
    String ordersRoute() {
        return "/orders/{id}";
    }
}
