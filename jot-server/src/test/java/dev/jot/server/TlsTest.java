package dev.jot.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jot.server.config.ServerConfig;
import dev.jot.server.config.Settings;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS (issue 10): a real self-signed certificate made in the test by the JDK's keytool, TLS 1.2+, HTTP/2 by
 * ALPN, HSTS when enabled, reload when the files change, and the refusal to serve plain HTTP to the network.
 */
class TlsTest {
    @TempDir
    Path dir;

    /** A certificate for localhost and 127.0.0.1 and its key, as PEM files (made by keytool in a child process). */
    record Pair(Path cert, Path key, X509Certificate certificate) {
    }

    Pair makePair(String name) throws Exception {
        Path ks = dir.resolve(name + ".p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "jot", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(Files.newInputStream(ks), "changeit".toCharArray());
        PrivateKey key = (PrivateKey) store.getKey("jot", "changeit".toCharArray());
        X509Certificate cert = (X509Certificate) store.getCertificate("jot");
        Path certFile = dir.resolve(name + ".crt");
        Path keyFile = dir.resolve(name + ".key");
        Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
        return new Pair(certFile, keyFile, cert);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static HttpClient trusting(X509Certificate... certs) throws Exception {
        return HttpClient.newBuilder().sslContext(context(certs)).connectTimeout(Duration.ofSeconds(10)).build();
    }

    static SSLContext context(X509Certificate... certs) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < certs.length; i++) {
            trust.setCertificateEntry("c" + i, certs[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    ServerConfig.Builder tlsConfig(Pair pair) {
        return TestConfigs.base(dir.resolve("data")).set(Settings.TLS_CERT, pair.cert()).set(Settings.TLS_KEY, pair.key());
    }

    @Test
    void httpsServesHttp2ByAlpnWithHstsWhenEnabled() throws Exception {
        Pair pair = makePair("a");
        try (JotServer server = JotServer.start(tlsConfig(pair).set(Settings.HSTS, true).issuer(null).build())) {
            assertThat(server.baseUrl()).startsWith("https://");
            HttpResponse<String> r = trusting(pair.certificate()).send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(server.services().tokens().issuer()).isEqualTo("https://localhost:" + server.port());

            HttpResponse<String> http11 = HttpClient.newBuilder().sslContext(context(pair.certificate()))
                    .version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                            URI.create("https://127.0.0.1:" + server.port() + "/health")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(http11.statusCode()).isEqualTo(200);
            assertThat(http11.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
    }

    @Test
    void onlyTls12AndNewerAreSpoken() throws Exception {
        Pair pair = makePair("a");
        try (JotServer server = JotServer.start(tlsConfig(pair).build())) {
            assertThat(handshake(server, pair, "TLSv1.3")).isEqualTo("TLSv1.3");
            assertThat(handshake(server, pair, "TLSv1.2")).isEqualTo("TLSv1.2");
            // The server's own list: what it would accept from a client that still offers older versions.
            assertThat(server.services().jobs().names()).contains(JotServer.TLS_RELOAD);
        }
    }

    private static String handshake(JotServer server, Pair pair, String protocol) throws Exception {
        try (SSLSocket s = (SSLSocket) context(pair.certificate()).getSocketFactory().createSocket("127.0.0.1", server.port())) {
            SSLParameters params = s.getSSLParameters();
            params.setProtocols(new String[] {protocol});
            s.setSSLParameters(params);
            s.startHandshake();
            return s.getSession().getProtocol();
        }
    }

    @Test
    void aRenewedCertificateIsServedAfterTheReloadJobWithoutARestart() throws Exception {
        Pair first = makePair("a");
        Pair renewed = makePair("b");
        try (JotServer server = JotServer.start(tlsConfig(first).build())) {
            assertThat(servedCertificate(server, first, renewed)).isEqualTo(first.certificate());

            Files.copy(renewed.cert(), first.cert(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(renewed.key(), first.key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            FileTime later = FileTime.from(Instant.now().plusSeconds(5));
            Files.setLastModifiedTime(first.cert(), later);
            Files.setLastModifiedTime(first.key(), later);
            server.services().jobs().runNow(JotServer.TLS_RELOAD);

            assertThat(servedCertificate(server, first, renewed)).isEqualTo(renewed.certificate());
        }
    }

    private static Certificate servedCertificate(JotServer server, Pair... trusted) throws Exception {
        X509Certificate[] certs = java.util.Arrays.stream(trusted).map(Pair::certificate).toArray(X509Certificate[]::new);
        try (SSLSocket s = (SSLSocket) context(certs).getSocketFactory().createSocket("127.0.0.1", server.port())) {
            s.startHandshake();
            return s.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void plainHttpOnAnAddressOtherHostsReachIsRefusedUnlessAProxyOrInsecureHttpIsDeclared() {
        ServerConfig.Builder open = TestConfigs.base(dir.resolve("data")).bind("0.0.0.0");
        assertThatThrownBy(() -> JotServer.start(open.build())).isInstanceOf(StartupException.class)
                .hasMessageContaining("--tls-cert").hasMessageContaining("--behind-proxy")
                .hasMessageContaining("--insecure-http");
        for (var declared : List.of(Settings.BEHIND_PROXY, Settings.INSECURE_HTTP)) {
            try (JotServer server = JotServer.start(open.set(declared, true).build())) {
                assertThat(new Http("http://127.0.0.1:" + server.port()).get("/health").statusCode()).isEqualTo(200);
            }
            open.set(declared, false);
        }
    }

    @Test
    void halfATlsConfigurationStopsTheStart() throws Exception {
        Pair pair = makePair("a");
        assertThatThrownBy(() -> JotServer.start(TestConfigs.base(dir.resolve("data")).set(Settings.TLS_CERT, pair.cert()).build()))
                .isInstanceOf(StartupException.class).hasMessageContaining("--tls-key");
        Files.writeString(pair.key(), "not a key");
        assertThatThrownBy(() -> JotServer.start(tlsConfig(pair).build()))
                .isInstanceOf(StartupException.class).hasMessageContaining("PRIVATE KEY");
    }

    @Test
    void theSchemeAndAddressOfATrustedProxyAreBelievedAndNobodyElses() {
        try (JotServer server = JotServer.start(TestConfigs.base(dir.resolve("data")).set(Settings.HSTS, true)
                .set(Settings.TRUSTED_PROXIES, List.of("127.0.0.1")).build())) {
            Http http = new Http(server.baseUrl());
            assertThat(http.get("/health", "X-Forwarded-Proto", "https").headers()
                    .firstValue("Strict-Transport-Security")).as("via the trusted proxy").isPresent();
            assertThat(http.get("/health").headers().firstValue("Strict-Transport-Security"))
                    .as("plain HTTP").isEmpty();
        }
        try (JotServer server = JotServer.start(TestConfigs.base(dir.resolve("data2")).set(Settings.HSTS, true).build())) {
            assertThat(new Http(server.baseUrl()).get("/health", "X-Forwarded-Proto", "https").headers()
                    .firstValue("Strict-Transport-Security")).as("nobody is trusted by default").isEmpty();
        }
    }
}
