package dev.jot.examples.stock;

import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A stock Boot resource server: {@code issuer-uri} and nothing else (every request needs a valid token), to show
 * what Boot does with Jot's tokens without {@code JotSecurity}'s {@code JwtTypeValidator} bean.
 */
@SpringBootApplication
public class StockBootApp {

    @RestController
    static class Routes {
        @GetMapping("/private")
        Map<String, Object> privateRoute(@AuthenticationPrincipal Jwt jwt) {
            return Map.of("sub", jwt.getSubject());
        }
    }
}
