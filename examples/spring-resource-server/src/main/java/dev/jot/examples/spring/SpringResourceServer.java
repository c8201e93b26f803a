package dev.jot.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot 4 resource server for a Jot issuer, configured with nothing but
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} (discovery, JWKS, RS256, key rotation: all Boot's),
 * plus {@link JotSecurity}: the {@code roles} claim as authorities, and the one bean RFC 9068 tokens need.
 */
@SpringBootApplication
public class SpringResourceServer {

    public static void main(String[] args) {
        SpringApplication.run(SpringResourceServer.class, args);
    }
}
