package dev.jot.server.keys;

import java.time.Duration;

/**
 * What one rotation did: {@code retiredKid} stopped signing (it stays published until its tokens have expired),
 * {@code activeKid} signs from now on, {@code nextKid} is published to sign after the next rotation.
 *
 * @param activeWasPublishedFor how long the new active key had been in the JWKS before it started signing
 */
public record Rotation(String retiredKid, String activeKid, String nextKid, Duration activeWasPublishedFor) {

    /**
     * True when the new active key signed before it had been published for {@link SigningKeys#MIN_PUBLISHED}: a
     * verifier whose cached JWKS predates it meets an unknown {@code kid} and must refetch. Automatic rotation never
     * does this; a manual one may, and says so.
     */
    public boolean early() {
        return activeWasPublishedFor.compareTo(SigningKeys.MIN_PUBLISHED) < 0;
    }
}
