package dev.jot.server;

import dev.jot.guard.Access;
import dev.jot.guard.AccessRule;
import dev.jot.guard.javalin.JotGuardPlugin;
import dev.jot.server.account.AccountRoutes;
import dev.jot.server.account.MeRoutes;
import dev.jot.server.admin.AdminRoutes;
import dev.jot.server.client.ApiKeyRoutes;
import dev.jot.server.client.ClientRoutes;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.http.Authentication;
import dev.jot.server.http.ClientPresence;
import dev.jot.server.http.ErrorMapping;
import dev.jot.server.http.Network;
import dev.jot.server.http.Tls;
import dev.jot.server.config.Settings;
import dev.jot.server.http.JettyErrors;
import dev.jot.server.http.MetaRoutes;
import dev.jot.server.http.OpsRoutes;
import dev.jot.server.http.RequestInfo;
import dev.jot.server.http.RequestObserver;
import dev.jot.server.metrics.Metrics;
import dev.jot.server.http.Requests;
import dev.jot.server.http.RouteTable;
import dev.jot.jwt.Algorithm;
import dev.jot.server.keys.KeyMaker;
import dev.jot.server.keys.KeyRoutes;
import dev.jot.server.oauth.OAuthRoutes;
import dev.jot.server.session.RevocationRoutes;
import dev.jot.server.session.SessionRoutes;
import dev.jot.server.store.Database;
import dev.jot.server.store.Health;
import dev.jot.server.throttle.ThrottleRoutes;
import dev.jot.server.usage.UsageRoutes;
import io.javalin.Javalin;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running auth server: database, keys, services and the HTTP routes, started from one {@link ServerConfig}.
 * {@code port 0} binds a free port ({@link #port()} tells which). Close it to stop.
 */
public final class JotServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JotServer.class);

    private final ServerConfig config;
    private final Services services;
    private final Javalin app;
    private final int port;
    private final Path dataDir;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private JotServer(ServerConfig config, Services services, Javalin app, int port, Path dataDir) {
        this.config = config;
        this.services = services;
        this.app = app;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** The whole HTTP API: one table per area. */
    private static List<RouteTable> routes(Services s, ServerConfig config) {
        return List.of(
                new AccountRoutes(s.accounts(), s.credentials(), s.authentication()),
                new SessionRoutes(s.sessions(), s.authentication()),
                new RevocationRoutes(s.revocations().feed(), s.authentication()),
                new OAuthRoutes(s.accounts(), s.sessions(), s.credentials(), s.policy(), s.authentication()),
                new MeRoutes(s.users()),
                new ApiKeyRoutes(s.credentials(), s.authentication()),
                new ClientRoutes(s.credentials(), s.authentication()),
                new AdminRoutes(s.userAdministration(), s.sessions(), s.audit(), s.keys(), s.authentication()),
                new ThrottleRoutes(s.throttle(), s.authentication()),
                new UsageRoutes(s.usage(), s.authentication()),
                new KeyRoutes(s.keys()),
                new MetaRoutes(s.tokens().issuer(), s.keys().algorithm().jwsName(), s.policy().scopesSupported()),
                new OpsRoutes(s.metrics(), config.get(Settings.METRICS_TOKEN), readiness(s)));
    }

    /** The checks of {@code GET /ready}, in order: the database answers, a signing key is loaded, no migration is pending. */
    private static Map<String, BooleanSupplier> readiness(Services s) {
        Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
        checks.put("database", () -> Health.isUp(s.database()));
        checks.put("signing_key", () -> s.keys().ring().signer() != null);
        checks.put("migrations", () -> s.database().migrationsApplied());
        return checks;
    }

    public static JotServer start(ServerConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** Starts the server; a failure (bad data directory, unreachable database) throws {@link StartupException}. */
    public static JotServer start(ServerConfig config, Clock clock) {
        Path dataDir = DataDirectory.prepare(config.dataDir());
        Tls tls = tls(config);
        int port = config.port() != 0 ? config.port() : freePort(config.bind());
        KeyMaker keyMaker = new KeyMaker(config.signingAlg());
        if (config.signingAlg() != Algorithm.HS256 && config.embeddedDatabaseIsNew()) {
            keyMaker.startAhead(); // side by side with creating the schema: see KeyMaker
        }
        Metrics metrics = new Metrics().bindJvm();
        Database db = openDatabase(config, metrics);
        try {
            Services services = Services.create(config, db, port, clock, keyMaker, metrics);
            FirstAdmin.ensure(config, services.userAdministration());
            List<RouteTable> tables = routes(services, config);
            Javalin app = Javalin.create(c -> {
                c.concurrency.useVirtualThreads = true;
                c.startup.showJavalinBanner = false;
                c.http.maxRequestSize = Requests.MAX_BODY_BYTES;
                // Javalin copies each answer to Jetty through a buffer it allocates per response, by default as big
                // as Jetty's output buffer (32 KB): most of all allocation under load (JFR), for answers of a few
                // hundred bytes. Jetty aggregates the writes of a bigger answer.
                c.http.responseBufferSize = RESPONSE_COPY_BUFFER;
                c.http.prefer405over404 = true; // RFC 9110 §15.5.6: a known path with another method is a 405
                c.jetty.modifyServer(jetty -> jetty.setErrorHandler(new JettyErrors()));
                c.jetty.modifyServer(jetty -> graceful(jetty, config, metrics));
                Network.configure(c.jetty, config, tls, port);
                RequestInfo.install(c.routes);
                ErrorMapping.install(c.routes);
                ClientPresence.install(c.routes);
                Authentication.installMetering(c.routes);
                // Routes that name what they need (JotGuardPlugin.requires) are checked by jot-guard's plugin, as
                // an API protected by Jot is; the rest check their own credentials (forms, Basic, bearer + role).
                c.registerPlugin(new JotGuardPlugin(services.authentication().guards(),
                        List.of(AccessRule.path("/*", Access.publicAccess()))));
                tables.forEach(t -> t.addTo(c.routes));
            });
            if (tls != null) {
                services.jobs().every(TLS_RELOAD, TLS_POLL, tls::reloadIfChanged);
            }
            app.start(config.bind(), port);
            services.events().start();
            services.jobs().start(); // key maintenance makes the next signing key here, after the server listens
            services.hasher().warmUp(); // loads the native Argon2 library, also off the start-up path
            JotServer server = new JotServer(config, services, app, app.port(), dataDir);
            LOG.info("Jot listening on {} | database {} | data directory {}", server.baseUrl(), db.url(), dataDir);
            return server;
        } catch (RuntimeException e) {
            db.close();
            metrics.close();
            throw e instanceof StartupException s ? s : new StartupException("could not start: " + e.getMessage(), e);
        }
    }

    /** The size of the buffer Javalin copies an answer through (see {@code start}). */
    static final int RESPONSE_COPY_BUFFER = 4096;

    /** Job name of the poll that reloads the TLS certificate when its files change. */
    public static final String TLS_RELOAD = "tls";
    static final java.time.Duration TLS_POLL = java.time.Duration.ofSeconds(10);

    /**
     * HTTPS when a certificate is configured. Without one, a server on an address other hosts can reach would take
     * passwords in clear: it starts only when a TLS-terminating proxy is declared ({@code --behind-proxy}) or
     * plain HTTP is asked for by name ({@code --insecure-http}).
     */
    private static Tls tls(ServerConfig config) {
        Path cert = config.get(Settings.TLS_CERT);
        Path key = config.get(Settings.TLS_KEY);
        if ((cert == null) != (key == null)) {
            throw new StartupException("--tls-cert and --tls-key go together: give both (PEM files) or neither", null);
        }
        if (cert != null) {
            try {
                return new Tls(cert, key);
            } catch (IllegalStateException e) {
                throw new StartupException(e.getMessage(), e);
            }
        }
        if (!isLoopback(config.bind()) && !config.get(Settings.BEHIND_PROXY) && !config.get(Settings.INSECURE_HTTP)) {
            throw new StartupException("--bind " + config.bind() + " is reachable from other hosts, and without TLS "
                    + "passwords and tokens would cross the network in clear. Give --tls-cert and --tls-key, or say "
                    + "--behind-proxy (a TLS-terminating proxy is in front; see --trusted-proxies), or --insecure-http.", null);
        }
        return null;
    }

    private static boolean isLoopback(String bind) {
        try {
            return java.net.InetAddress.getByName(bind).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            throw new StartupException("cannot bind " + bind + ": unknown host", e);
        }
    }

    /**
     * Stopping: Jetty closes its connectors (no new connection is accepted), then waits up to
     * {@code --shutdown-grace} for the requests in progress ({@link GracefulHandler}); what is still running then
     * is cut. Every answered request is counted and access-logged by {@link RequestObserver}.
     */
    private static void graceful(org.eclipse.jetty.server.Server jetty, ServerConfig config, Metrics metrics) {
        long grace = config.get(Settings.SHUTDOWN_GRACE).toMillis();
        // Jetty's shutdown idle timeout stays at its 1 s: connections idle that long while stopping are closed, so
        // keep-alive connections do not hold the stop for the whole grace period (measured: every stop took the
        // full 20 s with a pooled client's idle connections when it was raised to the grace). A request being
        // handled is not idle; a client that stalls sending its request for 1 s while the server stops is cut.
        GracefulHandler inFlight = new GracefulHandler();
        jetty.setHandler(inFlight); // Javalin puts its handler inside
        // Jetty's own count of the requests it has handed to a handler and not yet completed: the queue a stop waits
        // for, and a saturation signal next to the latency histograms.
        metrics.gauge("jot.http.requests.active", "HTTP requests being handled (taken up, not yet answered)",
                inFlight::getCurrentRequestCount);
        jetty.setStopTimeout(grace);
        jetty.setRequestLog(new RequestObserver(metrics, config.get(Settings.ACCESS_LOG)));
    }

    private static Database openDatabase(ServerConfig config, Metrics metrics) {
        try {
            return Database.open(config, metrics.registry());
        } catch (RuntimeException e) {
            metrics.close();
            throw new StartupException("cannot open the database " + config.printableDbUrl() + ": " + rootMessage(e), e);
        }
    }

    /**
     * The issuer depends on the port, so port 0 is resolved before Jetty binds. Another process could take the
     * port in between; the start then fails loudly rather than issuing tokens with a wrong {@code iss}.
     */
    private static int freePort(String bind) {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(bind))) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new StartupException("cannot bind " + bind + ": " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return (config.get(Settings.TLS_CERT) != null ? "https://" : "http://") + (config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind()) + ":" + port;
    }

    /** The data directory, absolute. */
    public Path dataDirectory() {
        return dataDir;
    }

    public ServerConfig config() {
        return config;
    }

    /**
     * Every HTTP route as Javalin's router holds it, {@code "METHOD /path/{param}"}: what the tests compare with the
     * OpenAPI description ({@code /openapi.json}).
     */
    /** Connections Jetty holds open now, as its connection limit counts them (for tests). */
    int openConnections() {
        return app.jettyServer().server().getBeans(org.eclipse.jetty.server.NetworkConnectionLimit.class).stream()
                .mapToInt(org.eclipse.jetty.server.NetworkConnectionLimit::getNetworkConnectionCount).sum();
    }

    List<String> httpRoutes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(e -> e.endpoint)
                .filter(e -> e.method.isHttpMethod())
                .map(e -> e.method.name() + " " + e.path)
                .toList();
    }

    public Services services() {
        return services;
    }

    /**
     * Runs {@code task} when the server stops, after the last request was answered and before the database closes
     * (see {@link #close()}); the same as {@code services().beforeStop().add(name, task)}.
     */
    public JotServer onStop(String name, Runnable task) {
        services.beforeStop().add(name, task);
        return this;
    }

    /**
     * Stops the server, in this order: the revocation feed's open streams end (they would hold the stop for the
     * whole grace period); Jetty stops accepting connections and lets the requests in progress finish, for at most
     * {@code --shutdown-grace}; the {@link BeforeStop} tasks run (the database is still open); then the background
     * jobs, the cluster events, the database and the hashing threads close. A second call does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        services.revocations().feed().close(); // ends the feed's open streams, so that Jetty can stop
        try {
            app.stop();
        } catch (RuntimeException e) {
            // Jetty stops all the same, cutting what still runs, then reports that the grace period ran out.
            LOG.warn("Requests still in progress after --shutdown-grace were cut: {}", e.toString());
        }
        services.beforeStop().runAll();
        services.jobs().close();
        services.events().close();
        services.database().close();
        services.hasher().close();
        services.metrics().close();
        LOG.info("Jot stopped");
    }
}
