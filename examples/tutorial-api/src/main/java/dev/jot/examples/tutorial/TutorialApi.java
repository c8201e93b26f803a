package dev.jot.examples.tutorial;

import static dev.jot.guard.javalin.JotGuardPlugin.requires;

import dev.jot.guard.Access;
import dev.jot.guard.ClientCredentials;
import dev.jot.guard.Guard;
import dev.jot.guard.HttpUsageSink;
import dev.jot.guard.RateLimits;
import dev.jot.guard.RemoteRevocations;
import dev.jot.guard.javalin.JotGuardPlugin;
import dev.jot.guard.usage.UsageMeter;
import dev.jot.guard.usage.UsageShipper;
import dev.jot.jwt.Json;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API the "secure your API with JWT" tutorials build, protected by jot-guard: its routes say what they need,
 * the Javalin plugin checks it before they run, and a refusal is a problem document with an RFC 6750 challenge.
 *
 * <pre>
 * GET /public             anyone
 * GET /private            a valid token: answers the caller's preferred_username
 * GET /secret             scope secret:read, or role admin
 * GET /admin              role admin
 * GET /root?number=&amp;n=    a valid token: the n-th root of number (bad input: 400 with a stable code)
 * </pre>
 *
 * Each route also answers {@code POST}, for clients that send their token in a JSON body ({@code body:token}
 * in {@code JOT_TOKEN_SOURCES}). Requests are metered per user, client, route and minute and shipped to the
 * issuer when the API has client credentials ({@code JOT_USAGE}); the rate limits tokens carry are enforced
 * ({@code JOT_RATE_LIMITS}). Settings: {@link TutorialConfig}.
 */
public final class TutorialApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TutorialApi.class);

    static final Access SECRET = Access.anyOf(Access.scopes("secret:read"), Access.role("admin"));
    static final Access ADMIN = Access.role("admin");

    private final Javalin app;
    private final Guard guard;
    private final ClientCredentials machine;
    private final RemoteRevocations feed;
    private final Usage usage;

    /** Metering's parts, closed in order: the shipper (a last shipment), its sink, the client that signs it in. */
    private record Usage(UsageShipper shipper, HttpUsageSink sink, ClientCredentials client) {
        void close() {
            shipper.close();
            sink.close();
            client.close();
        }
    }

    private TutorialApi(Javalin app, Guard guard, ClientCredentials machine, RemoteRevocations feed, Usage usage) {
        this.app = app;
        this.guard = guard;
        this.machine = machine;
        this.feed = feed;
        this.usage = usage;
    }

    public static void main(String[] args) {
        TutorialApi api;
        try {
            api = start(TutorialConfig.fromEnv(System.getenv()));
        } catch (IllegalArgumentException e) {
            // A setting is wrong (an http issuer that is not loopback, a bad JOT_TOKEN_SOURCES, ...): say which.
            System.err.println("tutorial-api: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            System.err.println("tutorial-api: could not start: " + e.getMessage()); // e.g. the port is taken
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(api::close, "tutorial-api-stop"));
    }

    /** Starts the API; the guard fetches the issuer's keys now if it can, and otherwise when the issuer is up. */
    public static TutorialApi start(TutorialConfig config) {
        return start(config, Clock.systemUTC(), true);
    }

    /**
     * Starts the API with {@code clock} for its guard (tokens, cache, rate limits), its meter's minutes and its
     * shipper; with {@code shipEveryInterval} false no background thread ships: only {@code shipNow()} does (tests
     * that move the clock and must know when counts leave).
     */
    static TutorialApi start(TutorialConfig config, Clock clock, boolean shipEveryInterval) {
        ClientCredentials machine = config.feed() instanceof TutorialConfig.Feed.Client c
                ? ClientCredentials.forIssuer(config.issuer(), c.id(), c.secret()).scope("jot:revocations").build()
                : null;
        RemoteRevocations feed = switch (config.feed()) {
            case TutorialConfig.Feed.None n -> null;
            case TutorialConfig.Feed.BearerToken t -> RemoteRevocations.subscribe(config.feedUrl(), t::token);
            case TutorialConfig.Feed.Client c -> RemoteRevocations.subscribe(config.feedUrl(), machine);
        };
        Guard.Builder b = Guard.forIssuer(config.issuer()).audience(config.audience()).sources(config.sources())
                .clock(clock);
        if (feed != null) {
            b.revocations(feed); // the guard closes it
        } else {
            LOG.warn("No revocation feed (set JOT_REVOCATIONS_TOKEN, or JOT_CLIENT_ID and JOT_CLIENT_SECRET): "
                    + "a token logged out at {} keeps working here until it expires", config.issuer());
        }
        UsageMeter meter = null;
        ClientCredentials usageClient = null;
        if (config.metering()) {
            TutorialConfig.Feed.Client c = (TutorialConfig.Feed.Client) config.feed();
            usageClient = ClientCredentials.forIssuer(config.issuer(), c.id(), c.secret()).scope("jot:usage").build();
            meter = new UsageMeter(clock);
            b.metering(meter);
        }
        if (config.usage().rateLimits()) {
            b.rateLimits(RateLimits.fromTokens());
        }
        Guard guard = b.build();
        if (!guard.refreshKeys()) {
            LOG.warn("The keys of {} could not be fetched yet; every token is refused until they are", config.issuer());
        }
        Javalin app = Javalin.create(c -> {
            c.concurrency.useVirtualThreads = true;
            c.startup.showJavalinBanner = false;
            // Javalin copies each answer through a buffer it allocates per response, 32 KB by default (Jetty's
            // output buffer): most of the API's allocation under load, for answers of a few hundred bytes.
            c.http.responseBufferSize = 4096;
            // The plugin also turns off Jetty's per-connection header cache (SameConnectionTest).
            c.registerPlugin(new JotGuardPlugin(guard));
            routes(c.routes);
            errors(c.routes);
        });
        try {
            app.start(config.bind(), config.port());
        } catch (RuntimeException e) {
            guard.close();
            if (machine != null) {
                machine.close();
            }
            if (usageClient != null) {
                usageClient.close();
            }
            throw e;
        }
        Usage usage = null;
        if (meter != null) {
            HttpUsageSink sink = HttpUsageSink.forIssuer(config.issuer(), usageClient);
            UsageShipper.Builder shipper = UsageShipper.builder(meter, sink).interval(config.usage().interval())
                    .instance("tutorial-api:" + app.port()).clock(clock);
            usage = new Usage(shipEveryInterval ? shipper.start() : shipper.build(), sink, usageClient);
        }
        LOG.info("Tutorial API listening on http://{}:{} | issuer {} | token sources {} | revocation feed {} | usage {}"
                        + " | rate limits {}", config.bind(), app.port(), config.issuer(), config.sources(), config.feed(),
                usage == null ? "off" : "shipped every " + config.usage().interval().toSeconds() + " s",
                config.usage().rateLimits() ? "on" : "off");
        return new TutorialApi(app, guard, machine, feed, usage);
    }

    /** The routes and what each needs: the whole API in one table. */
    static void routes(RoutesConfig r) {
        both(r, "/public", TutorialApi::publicRoute, Access.publicAccess());
        both(r, "/private", TutorialApi::privateRoute, Access.authenticated());
        both(r, "/secret", TutorialApi::secretRoute, SECRET);
        both(r, "/admin", TutorialApi::adminRoute, ADMIN);
        both(r, "/root", TutorialApi::rootRoute, Access.authenticated());
    }

    private static void both(RoutesConfig r, String path, Handler h, Access access) {
        r.get(path, h, requires(access));
        r.post(path, h, requires(access));
    }

    private static final byte[] PUBLIC = Json.writeBytes(Map.of("message", "Hello from a public endpoint: no token needed."));

    private static void publicRoute(Context ctx) {
        json(ctx, 200, PUBLIC);
    }

    private static void privateRoute(Context ctx) {
        String name = username(ctx);
        json(ctx, 200, Json.writeBytes(ordered("message", "Hello, " + name + "! Your token is valid.",
                "preferred_username", name)));
    }

    private static void secretRoute(Context ctx) {
        json(ctx, 200, Json.writeBytes(ordered("message", "The secret is 42.", "preferred_username", username(ctx))));
    }

    private static void adminRoute(Context ctx) {
        json(ctx, 200, Json.writeBytes(ordered("message", "Hello, admin " + username(ctx) + ".",
                "preferred_username", username(ctx))));
    }

    private static void rootRoute(Context ctx) {
        NthRoot.Answer a = NthRoot.of(ctx.queryParams("number"), ctx.queryParams("n"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("number", a.number());
        out.put("n", a.n());
        out.put("root", a.root());
        json(ctx, 200, Json.writeBytes(out));
    }

    /** The caller's {@code preferred_username}, or their {@code sub} when the token has none (a machine's). */
    private static String username(Context ctx) {
        var claims = JotGuardPlugin.auth(ctx).jwt().claims();
        return claims.getString("preferred_username").or(claims::subject).orElse("");
    }

    /** Bad input, unknown routes and failures are problem documents (RFC 9457) with a stable code, as refusals are. */
    static void errors(RoutesConfig r) {
        r.exception(NthRoot.BadInput.class, (e, ctx) -> problem(ctx, 400, e.problem.code, e.problem.detail));
        r.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, e.getStatus(), statusCode(e.getStatus()),
                "the request was not accepted"));
        r.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unhandled error on {} {}", ctx.method(), ctx.path(), e);
            problem(ctx, 500, "internal_error", "the API could not complete the request");
        });
        r.error(404, ctx -> {
            if (ctx.result() == null) {
                problem(ctx, 404, "not_found", "no such resource");
            }
        });
        r.error(405, ctx -> {
            if (ctx.result() == null) {
                problem(ctx, 405, "method_not_allowed", "this resource does not support the method");
            }
        });
    }

    private static String statusCode(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "body_too_large";
            default -> status < 500 ? "invalid_request" : "internal_error";
        };
    }

    static void problem(Context ctx, int status, String code, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title(status));
        body.put("status", status);
        body.put("code", code);
        body.put("detail", detail);
        ctx.status(status).contentType("application/problem+json").result(Json.writeBytes(body));
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 500 -> "Internal Server Error";
            default -> "Error";
        };
    }

    private static void json(Context ctx, int status, byte[] body) {
        ctx.status(status).contentType("application/json").result(body);
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    public int port() {
        return app.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + app.port();
    }

    /** The revocation feed, when one is configured: {@code isInSync()} for health checks and tests. */
    public Optional<RemoteRevocations> feed() {
        return Optional.ofNullable(feed);
    }

    /** The OAuth client that gets the feed's token, when {@code JOT_CLIENT_ID} is set. */
    Optional<ClientCredentials> feedClient() {
        return Optional.ofNullable(machine);
    }

    /** The usage shipper, when requests are metered: {@code shipNow()} for tests. */
    public Optional<UsageShipper> usageShipper() {
        return Optional.ofNullable(usage).map(Usage::shipper);
    }

    @Override
    public void close() {
        app.stop();
        if (usage != null) {
            usage.close(); // after the last request: its count goes in the last shipment
        }
        guard.close();
        if (machine != null) {
            machine.close();
        }
    }
}
