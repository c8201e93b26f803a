package dev.jot.server.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jot.guard.AuthResult;
import dev.jot.server.config.ScopeToken;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import dev.jot.server.http.Authentication;
import dev.jot.server.http.Fields;
import dev.jot.server.http.Requests;
import dev.jot.server.http.Responses;
import dev.jot.server.http.RouteTable;
import dev.jot.server.token.Scopes;
import dev.jot.server.usage.UsageService.Granularity;
import dev.jot.server.usage.UsageService.Limits;
import dev.jot.server.usage.UsageService.Owner;
import dev.jot.server.usage.UsageService.UsagePoint;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The usage API: {@code POST /usage/batches} (guards ship counts: scope {@value Scopes#USAGE} or an admin),
 * {@code GET /me/usage} (the caller's own), {@code GET /admin/usage}, {@code /admin/usage/top},
 * {@code /admin/usage/alerts}, and the quotas of users, API keys and clients ({@code GET}, {@code PUT},
 * {@code DELETE /admin/users/{id}/quota}, {@code /admin/api-keys/{id}/quota}, {@code /admin/clients/{id}/quota}).
 * Reads answer JSON, or CSV (RFC 4180) to {@code Accept: text/csv}.
 */
public final class UsageRoutes implements RouteTable {
    public static final String BATCHES = "/usage/batches";
    /** Most points one read answers; an answer that reached it says {@code "truncated": true}. */
    static final int MAX_POINTS = 50_000;
    /** Most periods one read may span: a week of minutes, 420 days of hours, 27 years of days. */
    static final long MAX_PERIODS = 10_080;
    static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    static final int MAX_TOP = 1000;
    static final int MAX_ALERTS = 1000;
    private static final Pattern RELATIVE = Pattern.compile("-([0-9]{1,6})([smhd])");
    private static final Set<String> QUOTA_FIELDS = Set.of("minute", "day", "month");
    /** group_by values → columns. */
    private static final Map<String, String> GROUPS = Map.of("route", "route", "client", "client_id",
            "subject", "subject", "audience", "audience");

    private final UsageService usage;
    private final Authentication auth;
    private final Clock clock;

    public UsageRoutes(UsageService usage, Authentication auth) {
        this.usage = usage;
        this.auth = auth;
        this.clock = usage.clock();
    }

    @Override
    public void addTo(RoutesConfig routes) {
        routes.post(BATCHES, this::receive);
        routes.get("/me/usage", this::mine);
        routes.get("/admin/usage", this::anyone);
        routes.get("/admin/usage/top", this::top);
        routes.get("/admin/usage/alerts", this::alerts);
        for (Owner owner : Owner.values()) {
            String path = switch (owner) {
                case user -> "/admin/users/{id}/quota";
                case api_key -> "/admin/api-keys/{id}/quota";
                case client -> "/admin/clients/{id}/quota";
            };
            routes.get(path, ctx -> getQuota(ctx, owner));
            routes.put(path, ctx -> putQuota(ctx, owner));
            routes.delete(path, ctx -> deleteQuota(ctx, owner));
        }
    }

    // ---- ingest ----

    private void receive(Context ctx) {
        AuthResult.Authenticated caller = auth.require(ctx);
        if (!caller.scopes().contains(Scopes.USAGE) && !caller.roles().contains(ScopeToken.ADMIN)) {
            throw new ServerException(ServerError.INSUFFICIENT_SCOPE, "The access token lacks the required scope")
                    .withArgument(Scopes.USAGE);
        }
        if (!Requests.isJson(ctx)) {
            throw Requests.unsupportedMediaType("application/json");
        }
        UsageService.Stored stored = usage.ingest(BatchJson.parse(Requests.bodyStream(ctx, BatchJson.MAX_BYTES)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("batch_id", stored.batchId());
        out.put("duplicate", stored.duplicate());
        Responses.json(ctx, stored.duplicate() ? 200 : 202, out);
    }

    // ---- reads ----

    private void mine(Context ctx) {
        AuthResult.Authenticated caller = auth.require(ctx);
        String subject = caller.jwt().claims().subject().orElseThrow(
                () -> new ServerException(ServerError.TOKEN_INVALID, "the access token names no subject"));
        answer(ctx, Map.of("subject", subject), Set.of("route", "client"));
    }

    private void anyone(Context ctx) {
        admin(ctx);
        Map<String, String> filters = new LinkedHashMap<>();
        Fields.query(ctx, "subject").ifPresent(v -> filters.put("subject", v));
        Fields.query(ctx, "client_id").ifPresent(v -> filters.put("client_id", v));
        Fields.query(ctx, "audience").ifPresent(v -> filters.put("audience", v));
        answer(ctx, filters, GROUPS.keySet());
    }

    private void answer(Context ctx, Map<String, String> filters, Set<String> groups) {
        Range range = range(ctx);
        Granularity granularity = granularity(ctx);
        if ((range.to().getEpochSecond() - range.from().getEpochSecond()) / granularity.seconds > MAX_PERIODS) {
            throw invalid("the range spans more than " + MAX_PERIODS + " " + granularity + "s; narrow it or "
                    + "ask for a coarser granularity");
        }
        Optional<String> groupBy = Fields.query(ctx, "group_by");
        if (groupBy.isPresent() && !groups.contains(groupBy.get())) {
            throw invalid("'group_by' must be one of " + String.join(", ", groups.stream().sorted().toList()));
        }
        String column = groupBy.map(GROUPS::get).orElse(null);
        List<UsagePoint> points = usage.read(new UsageService.Query(filters, range.from(), range.to(), granularity,
                column), MAX_POINTS + 1);
        boolean truncated = points.size() > MAX_POINTS;
        if (truncated) {
            points = points.subList(0, MAX_POINTS);
        }
        String groupField = column;
        if (wantsCsv(ctx)) {
            List<String> header = new ArrayList<>(List.of("start"));
            if (groupField != null) {
                header.add(groupField);
            }
            header.addAll(List.of("status", "requests"));
            List<List<String>> rows = new ArrayList<>();
            for (UsagePoint p : points) {
                List<String> row = new ArrayList<>(List.of(p.start().toString()));
                if (groupField != null) {
                    row.add(p.group() == null ? "" : p.group());
                }
                row.addAll(List.of(p.status(), Long.toString(p.requests())));
                rows.add(row);
            }
            csv(ctx, header, rows);
            return;
        }
        List<Map<String, Object>> out = new ArrayList<>(points.size());
        long total = 0;
        for (UsagePoint p : points) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("start", p.start().toString());
            if (groupField != null) {
                m.put(groupField, p.group());
            }
            m.put("status", p.status());
            m.put("requests", p.requests());
            out.add(m);
            total += p.requests();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", range.from().toString());
        body.put("to", range.to().toString());
        body.put("granularity", granularity.name());
        body.put("group_by", groupBy.orElse(null));
        body.put("total", total);
        body.put("truncated", truncated);
        body.put("points", out);
        Responses.json(ctx, 200, body);
    }

    private void top(Context ctx) {
        admin(ctx);
        Range range = range(ctx);
        String by = Fields.query(ctx, "by").orElse("subject");
        String column = switch (by) {
            case "subject" -> "subject";
            case "client" -> "client_id";
            default -> throw invalid("'by' must be subject or client");
        };
        int limit = limit(ctx, 10, MAX_TOP);
        List<Map.Entry<String, Long>> top = usage.top(column, range.from(), range.to(), limit);
        if (wantsCsv(ctx)) {
            csv(ctx, List.of(column, "requests"), top.stream().map(e -> List.of(e.getKey(),
                    Long.toString(e.getValue()))).toList());
            return;
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (Map.Entry<String, Long> e : top) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(column, e.getKey());
            m.put("requests", e.getValue());
            items.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", range.from().toString());
        body.put("to", range.to().toString());
        body.put("by", by);
        body.put("items", items);
        Responses.json(ctx, 200, body);
    }

    private void alerts(Context ctx) {
        admin(ctx);
        int limit = limit(ctx, MAX_ALERTS, MAX_ALERTS);
        List<UsageService.Alert> alerts = usage.alerts(limit);
        if (wantsCsv(ctx)) {
            csv(ctx, List.of("kind", "value", "policy", "limit", "used", "percent", "level", "until"),
                    alerts.stream().map(a -> List.of(a.kind(), a.value(), a.policy(), Long.toString(a.limit()),
                            Long.toString(a.used()), Integer.toString(a.percent()), a.level(),
                            a.until().toString())).toList());
            return;
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (UsageService.Alert a : alerts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", a.kind());
            m.put("value", a.value());
            m.put("policy", a.policy());
            m.put("limit", a.limit());
            m.put("used", a.used());
            m.put("percent", a.percent());
            m.put("level", a.level());
            m.put("until", a.until().toString());
            items.add(m);
        }
        Responses.json(ctx, 200, Map.of("items", items));
    }

    // ---- quotas ----

    private void getQuota(Context ctx, Owner owner) {
        admin(ctx);
        String bucket = usage.bucketOf(owner, ctx.pathParam("id"));
        Responses.json(ctx, 200, quotaView(bucket));
    }

    private void putQuota(Context ctx, Owner owner) {
        admin(ctx);
        String bucket = usage.bucketOf(owner, ctx.pathParam("id"));
        ObjectNode body = Requests.jsonObject(ctx);
        Fields.only(body, QUOTA_FIELDS);
        usage.setQuota(bucket, new Limits(limitField(body, "minute"), limitField(body, "day"),
                limitField(body, "month")));
        Responses.json(ctx, 200, quotaView(bucket));
    }

    private void deleteQuota(Context ctx, Owner owner) {
        admin(ctx);
        usage.deleteQuota(usage.bucketOf(owner, ctx.pathParam("id")));
        ctx.status(204);
    }

    private Map<String, Object> quotaView(String bucket) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bucket", bucket);
        out.put("quota", usage.quota(bucket).claim());
        out.put("effective", usage.effectiveLimits(bucket).claim());
        return out;
    }

    /** A limit: absent or null (the default applies), or a whole number from 1 to 10^12. */
    private static Long limitField(ObjectNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 1 || n.longValue() > 1_000_000_000_000L) {
            throw ServerException.badRequest("'" + name + "' must be null or a whole number from 1 to 10^12");
        }
        return n.longValue();
    }

    // ---- parameters ----

    private record Range(Instant from, Instant to) {
    }

    /**
     * {@code from} and {@code to}: an ISO-8601 instant ({@code 2026-11-30T17:00:00Z}), {@code now}, or a time
     * before now ({@code -24h}, {@code -30m}, {@code -7d}, {@code -90s}). Defaults: the last 24 hours.
     */
    private Range range(Context ctx) {
        Instant now = clock.instant();
        Instant to = Fields.query(ctx, "to").map(t -> instant(t, now, "to")).orElse(now);
        Instant from = Fields.query(ctx, "from").map(t -> instant(t, now, "from")).orElse(to.minus(DEFAULT_RANGE));
        if (!from.isBefore(to)) {
            throw invalid("'from' must be before 'to'");
        }
        return new Range(from, to);
    }

    private static Instant instant(String text, Instant now, String name) {
        if (text.equals("now")) {
            return now;
        }
        Matcher m = RELATIVE.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            Instant t = Instant.parse(text);
            if (t.isBefore(Instant.EPOCH) || t.isAfter(Instant.parse("9999-12-31T00:00:00Z"))) {
                throw invalid("'" + name + "' is out of range");
            }
            return t;
        } catch (DateTimeParseException e) {
            throw invalid("'" + name + "' must be an ISO-8601 instant (2026-11-30T17:00:00Z), 'now', or -<n>s|m|h|d");
        }
    }

    private static Granularity granularity(Context ctx) {
        String g = Fields.query(ctx, "granularity").orElse("hour");
        try {
            return Granularity.valueOf(g);
        } catch (IllegalArgumentException e) {
            throw invalid("'granularity' must be minute, hour or day");
        }
    }

    private static int limit(Context ctx, int fallback, int max) {
        try {
            return Fields.limit(ctx, fallback, max);
        } catch (ServerException e) {
            throw invalid(e.detail());
        }
    }

    private static ServerException invalid(String detail) {
        return new ServerException(ServerError.USAGE_QUERY_INVALID, detail);
    }

    private void admin(Context ctx) {
        auth.require(ctx, ScopeToken.ADMIN);
    }

    // ---- CSV (RFC 4180) ----

    private static boolean wantsCsv(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/csv");
    }

    private static void csv(Context ctx, List<String> header, List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        line(out, header);
        for (List<String> row : rows) {
            line(out, row);
        }
        ctx.status(200).contentType("text/csv; charset=utf-8; header=present");
        ctx.result(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void line(StringBuilder out, List<String> cells) {
        for (Iterator<String> it = cells.iterator(); it.hasNext(); ) {
            out.append(cell(it.next()));
            if (it.hasNext()) {
                out.append(',');
            }
        }
        out.append("\r\n");
    }

    /**
     * One field: quoted when it holds a comma, quote, CR or LF (quotes doubled); a text that a spreadsheet would
     * run as a formula ({@code = + - @}, tab, CR at the start) gets a leading {@code '} (OWASP CSV injection).
     */
    static String cell(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\r") || v.contains("\n")) {
            v = "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
