package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.guard.servlet.JotGuardFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** {@link JotGuardFilter} in Jetty 12 (Servlet 6), under the context path {@code /app}. */
class ServletFilterTest extends AdapterContractTest {

    private Server server;

    @Override
    String start(Guard guard, List<AccessRule> rules) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler app = new ServletContextHandler("/app");
        app.addFilter(new FilterHolder(new JotGuardFilter(guard, rules)), "/*", EnumSet.of(DispatcherType.REQUEST));
        app.addServlet(new ServletHolder(new Echo()), "/*");
        server.setHandler(app);
        server.start();
        return "http://127.0.0.1:" + connector.getLocalPort() + "/app";
    }

    @Override
    void stop() throws Exception {
        server.stop();
    }

    /** Answers who the filter let in and the body as the application reads it. */
    private static final class Echo extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
            String body = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String sub = JotGuardFilter.find(req).map(a -> a.jwt().claims().subject().orElse("?")).orElse(null);
            res.setContentType("application/json");
            res.getOutputStream().write(echo(sub, body).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void dotSegmentsCannotWalkFromAPublicPathIntoAProtectedOne() throws Exception {
        for (String sneaky : List.of("/health/../orders", "/health/%2e%2e/orders", "/health;x=1/../orders")) {
            Http.Reply r = Http.get(base + sneaky);
            assertThat(r.status()).as(sneaky + ": " + r.body()).isIn(400, 401);
        }
    }

    @Test
    void theQueryIsReadWithoutConsumingAFormBody() throws Exception {
        stop();
        Guard byQuery = tokens.guard().sources(TokenSource.queryParameter("access_token")).build();
        base = start(byQuery, RULES);
        Http.Reply r = Http.post(base + "/me?access_token=" + tokens.valid("ada"), "application/x-www-form-urlencoded",
                "note=hi&access_token=not-this-one".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json()).containsEntry("body", "note=hi&access_token=not-this-one").containsEntry("sub", "ada");
    }
}
