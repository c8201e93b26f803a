package dev.jot.server.keys;

import dev.jot.jwt.Algorithm;
import dev.jot.jwt.Jwk;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Generates signing keys for one algorithm. A caller that knows a key will be needed (a fresh database has
 * none) can {@link #startAhead() start one early}: RSA key generation on a cold JVM takes about as long as
 * creating the schema, so the two run side by side and a first start stays under two seconds.
 */
public final class KeyMaker {
    private final Algorithm algorithm;
    private final AtomicReference<CompletableFuture<Jwk>> ahead = new AtomicReference<>();

    public KeyMaker(Algorithm algorithm) {
        this.algorithm = algorithm;
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    /** Starts generating one key on a daemon thread; {@link #newKey()} hands it out. */
    public KeyMaker startAhead() {
        CompletableFuture<Jwk> f = new CompletableFuture<>();
        if (ahead.compareAndSet(null, f)) {
            Thread t = new Thread(() -> {
                try {
                    f.complete(Jwk.generate(algorithm, null));
                } catch (RuntimeException | Error e) {
                    f.completeExceptionally(e);
                }
            }, "jot-keygen");
            t.setDaemon(true);
            t.start();
        }
        return this;
    }

    /** A fresh key pair: the one started ahead if there is one, otherwise generated now. */
    public Jwk newKey() {
        CompletableFuture<Jwk> f = ahead.getAndSet(null);
        return f != null ? f.join() : Jwk.generate(algorithm, null);
    }
}
