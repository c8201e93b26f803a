package dev.jot.server.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A machine credential as stored, without its secrets: an API key (owned by a user, acting for them) or an OAuth
 * client (owned by the deployment, acting for itself). Its {@code id} is the {@code client_id} of its tokens.
 *
 * @param audiences the APIs its tokens may be for; empty: any registered API
 * @param expiresAt when it stops working; empty: never (clients)
 * @param secrets   its secrets, oldest first (an API key has one)
 */
public record Credential(String id, Kind kind, Optional<String> ownerId, String name, List<String> scopes,
                         List<String> audiences, Instant createdAt, Optional<Instant> expiresAt,
                         List<SecretInfo> secrets) {

    public enum Kind {
        API_KEY("api_key"), CLIENT("client");

        private final String stored;

        Kind(String stored) {
            this.stored = stored;
        }

        /** The {@code kind} column's value. */
        public String stored() {
            return stored;
        }

        static Kind fromStored(String value) {
            return value.equals(API_KEY.stored) ? API_KEY : CLIENT;
        }
    }

    /** A secret as lists show it: its id, its first characters, and when it was created and last used. */
    public record SecretInfo(String id, String start, Instant createdAt, Optional<Instant> lastUsedAt) {
        public SecretInfo {
            Objects.requireNonNull(id);
            Objects.requireNonNull(start);
            Objects.requireNonNull(lastUsedAt);
        }
    }

    public Credential {
        Objects.requireNonNull(id);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(ownerId);
        Objects.requireNonNull(name);
        scopes = List.copyOf(scopes);
        audiences = List.copyOf(audiences);
        Objects.requireNonNull(expiresAt);
        secrets = List.copyOf(secrets);
    }

    Credential withSecrets(List<SecretInfo> newSecrets) {
        return new Credential(id, kind, ownerId, name, scopes, audiences, createdAt, expiresAt, newSecrets);
    }
}
