package dev.jot.server.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS from a PEM certificate chain and a PEM private key (PKCS#8, as {@code openssl genpkey} and certbot write
 * it): TLS 1.2 and 1.3 only (RFC 9325 §4.1), HTTP/2 negotiated by ALPN where the client offers it (RFC 9113 §3.2),
 * else HTTP/1.1. The files are read again when either changes on disk ({@link #reloadIfChanged}, polled by a job),
 * so an ACME renewal takes effect without a restart; a pair that does not load keeps the previous one, loudly.
 */
public final class Tls {
    private static final Logger LOG = LoggerFactory.getLogger(Tls.class);
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    private final Path certFile;
    private final Path keyFile;
    private final SslContextFactory.Server factory = new SslContextFactory.Server();
    private FileTime certTime;
    private FileTime keyTime;

    /** Loads the pair now: a pair that does not load stops the start. */
    public Tls(Path certFile, Path keyFile) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        factory.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        factory.setKeyStore(keyStore());
        factory.setKeyStorePassword("");
        // ALPN picks h2 only with a cipher suite RFC 9113 §9.2.2 allows; the JDK's defaults for 1.2 and 1.3 are
        // such suites first, so no list of ours is needed.
        stamp();
    }

    /** The TLS connector on {@code host:port}: TLS, then ALPN choosing h2 or http/1.1, with {@code plain}'s settings. */
    public ServerConnector connector(Server server, HttpConfiguration plain, String host, int port) {
        HttpConfiguration https = new HttpConfiguration(plain);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Clients may reach the server by address (https://127.0.0.1): the certificate's names are the client's
        // business, not a reason for the server to refuse the request.
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        HttpConnectionFactory http11 = new HttpConnectionFactory(https);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(https);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(http11.getProtocol());
        SslConnectionFactory tls = new SslConnectionFactory(factory, alpn.getProtocol());
        ServerConnector connector = new ServerConnector(server, tls, alpn, h2, http11);
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    /** Reloads the pair when a file changed since it was loaded (a periodic job). */
    public void reloadIfChanged() {
        try {
            if (Files.getLastModifiedTime(certFile).equals(certTime) && Files.getLastModifiedTime(keyFile).equals(keyTime)) {
                return;
            }
        } catch (IOException e) {
            return; // mid-rename: the next poll sees the new files
        }
        try {
            KeyStore fresh = keyStore();
            factory.reload(f -> f.setKeyStore(fresh));
            stamp();
            LOG.info("Reloaded the TLS certificate from {}", certFile);
        } catch (Exception e) {
            LOG.error("The TLS certificate or key changed but does not load ({}); still serving the previous one", e.getMessage());
        }
    }

    private void stamp() {
        try {
            certTime = Files.getLastModifiedTime(certFile);
            keyTime = Files.getLastModifiedTime(keyFile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + certFile + " or " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private KeyStore keyStore() {
        try {
            List<Certificate> chain = List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certFile))));
            if (chain.isEmpty()) {
                throw new IllegalStateException(certFile + " holds no certificate");
            }
            PrivateKey key = privateKey(Files.readString(keyFile, StandardCharsets.US_ASCII));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("jot", key, NO_PASSWORD, chain.toArray(Certificate[]::new));
            return ks;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the TLS files " + certFile + ", " + keyFile + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the TLS certificate " + certFile + " does not load: " + e.getMessage(), e);
        }
    }

    /** A PKCS#8 {@code PRIVATE KEY} block: RSA, EC or Ed25519, whichever the key's own algorithm identifier says. */
    private PrivateKey privateKey(String pem) {
        Matcher m = PEM.matcher(pem);
        if (!m.find() || !m.group(1).equals("PRIVATE KEY")) {
            throw new IllegalStateException(keyFile + " must hold a PEM 'PRIVATE KEY' (PKCS#8, unencrypted): convert "
                    + "with 'openssl pkcs8 -topk8 -nocrypt -in KEY'");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException wrongAlgorithm) {
                // try the next
            }
        }
        throw new IllegalStateException(keyFile + " holds a private key that is not RSA, EC or Ed25519");
    }
}
