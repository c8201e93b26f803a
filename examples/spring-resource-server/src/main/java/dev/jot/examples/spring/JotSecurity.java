package dev.jot.examples.spring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * What Jot's tokens need beyond {@code issuer-uri}: who may call what, Jot's {@code roles} claim as Spring
 * authorities, and a {@link JwtTypeValidator} that accepts RFC 9068 access tokens.
 */
@Configuration
public class JotSecurity {

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a
                        .requestMatchers("/public").permitAll()
                        .requestMatchers("/admin").hasRole("admin")
                        .anyRequest().authenticated())
                .oauth2ResourceServer(rs -> rs.jwt(Customizer.withDefaults()))
                .csrf(c -> c.disable()); // a bearer-token API: no cookies, no CSRF (RFC 6750 §5.2)
        return http.build();
    }

    /**
     * Jot puts roles in a {@code roles} string array and scopes in {@code scope}: roles become {@code ROLE_<name>}
     * (so {@code hasRole("admin")} works), scopes {@code SCOPE_<name>} as Spring's default does.
     */
    @Bean
    JwtAuthenticationConverter jwtAuthenticationConverter() {
        JwtGrantedAuthoritiesConverter scopes = new JwtGrantedAuthoritiesConverter();
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> {
            Collection<GrantedAuthority> all = new ArrayList<>(scopes.convert(jwt));
            all.addAll(roles(jwt));
            return all;
        });
        converter.setPrincipalClaimName("preferred_username");
        return converter;
    }

    static List<GrantedAuthority> roles(Jwt jwt) {
        List<String> roles = jwt.getClaimAsStringList("roles");
        return roles == null ? List.of()
                : roles.stream().<GrantedAuthority>map(r -> new SimpleGrantedAuthority("ROLE_" + r)).toList();
    }

    /**
     * Why this bean: Boot builds its JWT validators with {@code JwtTypeValidator.jwt()}, which accepts only
     * {@code typ: JWT} or no {@code typ}, while RFC 9068 §2.1 types access tokens {@code at+jwt} — so a stock Boot
     * resource server refuses every Jot token (spring-security #9900, #13185, #19115; spring-boot #48301). Boot
     * uses a {@code JwtTypeValidator} bean in place of its own; this one accepts both. (Or run Jot with
     * {@code --access-token-type JWT} and leave this bean out.)
     */
    @Bean
    JwtTypeValidator jwtTypeValidator() {
        return new JwtTypeValidator("JWT", "at+jwt");
    }
}
