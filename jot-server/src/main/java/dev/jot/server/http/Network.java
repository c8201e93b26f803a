package dev.jot.server.http;

import dev.jot.guard.javalin.JotGuardPlugin;
import dev.jot.server.config.Cidr;
import dev.jot.server.config.ServerConfig;
import dev.jot.server.config.Settings;
import io.javalin.config.JettyConfig;
import java.util.List;
import org.eclipse.jetty.server.NetworkConnectionLimit;

/**
 * How Jetty meets the network: the customizer that decides each request's origin and adds the headers every answer
 * carries ({@link ResponseHeaders}), and a cap on open connections. The cap is Jetty's {@link NetworkConnectionLimit}:
 * past it Jetty stops accepting (new connections wait in the kernel's backlog) instead of letting slow clients
 * that dribble their headers (slowloris) hold every thread and file descriptor; Jetty's 30 s idle timeout then
 * closes the ones that stall.
 */
public final class Network {
    private Network() {
    }

    /**
     * Configures Jetty; with {@code tls} (else null) the server listens with HTTPS only, on {@code port}: Javalin
     * adds its plain connector only when none was added.
     */
    public static void configure(JettyConfig jetty, ServerConfig config, Tls tls, int port) {
        List<Cidr> trusted = config.get(Settings.TRUSTED_PROXIES).stream()
                .map(c -> Cidr.parse(c).orElseThrow()).toList();
        ResponseHeaders headers = new ResponseHeaders(trusted, config.get(Settings.HSTS));
        jetty.modifyHttpConfiguration(http -> {
            http.addCustomizer(headers);
            http.setSendServerVersion(false); // no product version for scanners to match against
            // No per-connection header cache: it would hand a credential differing from the previous request's only
            // in case (a forged signature, a base64url secret) the previous one's value, and walking it costs more
            // than parsing the header afresh (see the method).
            JotGuardPlugin.noHeaderCache(http);
        });
        jetty.modifyServer(server -> server.addBean(new NetworkConnectionLimit(config.get(Settings.MAX_CONNECTIONS), server)));
        if (tls != null) {
            jetty.addConnector((server, http) -> {
                if (!http.getCustomizers().contains(headers)) {
                    http.addCustomizer(headers);
                }
                return tls.connector(server, http, config.bind(), port);
            });
        }
    }
}
