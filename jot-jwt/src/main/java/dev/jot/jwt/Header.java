package dev.jot.jwt;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A verified token's protected header (RFC 7515 §4). Only the parameters Jot acts on are typed; the header
 * keys {@code jwk}, {@code jku}, {@code x5u} and {@code x5c} are never used to find or trust a key.
 */
public record Header(Algorithm alg, String kid, String typ, String cty, List<String> crit, Map<String, Object> members) {

    public Header {
        crit = crit == null ? List.of() : List.copyOf(crit);
    }

    public Optional<String> keyId() {
        return Optional.ofNullable(kid);
    }

    public Optional<String> type() {
        return Optional.ofNullable(typ);
    }

    public Optional<String> contentType() {
        return Optional.ofNullable(cty);
    }

    /** Any header parameter as a JSON value. */
    public Object get(String name) {
        return members.get(name);
    }
}
