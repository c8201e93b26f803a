package dev.jot.guard;

import dev.jot.guard.servlet.JotGuardFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** {@link MeteredAdapterTest} for {@link JotGuardFilter} in Jetty 12: the route is the servlet mapping's pattern. */
class ServletMeteringTest extends MeteredAdapterTest {

    private Server server;

    @Override
    String start(Guard guard) throws Exception {
        return start(guard, null);
    }

    private String start(Guard guard, java.util.function.Function<HttpServletRequest, String> routes) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler app = new ServletContextHandler("/app");
        JotGuardFilter filter = new JotGuardFilter(guard, List.of(AccessRule.path("/health", Access.publicAccess())));
        app.addFilter(new FilterHolder(routes == null ? filter : filter.routeNamedBy(routes)), "/*",
                EnumSet.of(DispatcherType.REQUEST));
        app.addServlet(new ServletHolder(new Orders()), "/orders/*");
        app.addServlet(new ServletHolder(new Orders()), "/health");
        server.setHandler(app);
        server.start();
        return "http://127.0.0.1:" + connector.getLocalPort() + "/app";
    }

    @Override
    void stop() throws Exception {
        server.stop();
    }

    @Override
    String ordersRoute() {
        return "/orders/*";
    }

    @org.junit.jupiter.api.Test
    void aRouteNamingFunctionReplacesTheMappingPattern() throws Exception {
        stop();
        base = start(guard, req -> "/orders/{id}");
        Http.get(base + "/orders/41", "Authorization", Http.bearer(token("ada", 10)));
        Http.get(base + "/orders/42", "Authorization", Http.bearer(token("ada", 10)));
        org.assertj.core.api.Assertions.assertThat(counted(2)).containsOnly(java.util.Map.entry("ada /orders/{id} 2xx", 2L));
    }

    private static final class Orders extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
            res.setStatus("/0".equals(req.getPathInfo()) ? 404 : 200);
            res.setContentType("application/json");
            res.getOutputStream().print("{}");
        }
    }
}
