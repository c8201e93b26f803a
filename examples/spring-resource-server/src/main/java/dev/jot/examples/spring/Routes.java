package dev.jot.examples.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The tutorials' routes, as a Spring controller; {@link JotSecurity} says who may call which. */
@RestController
class Routes {

    @GetMapping("/public")
    Map<String, Object> publicRoute() {
        return Map.of("message", "Hello from a public endpoint: no token needed.");
    }

    @GetMapping("/private")
    Map<String, Object> privateRoute(@AuthenticationPrincipal Jwt jwt) {
        return caller(jwt);
    }

    @GetMapping("/admin")
    Map<String, Object> adminRoute(@AuthenticationPrincipal Jwt jwt) {
        return caller(jwt);
    }

    private static Map<String, Object> caller(Jwt jwt) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("preferred_username", jwt.getClaimAsString("preferred_username"));
        out.put("authorities", SecurityContextHolder.getContext().getAuthentication().getAuthorities().stream()
                .map(GrantedAuthority::getAuthority).sorted().toList());
        return out;
    }
}
