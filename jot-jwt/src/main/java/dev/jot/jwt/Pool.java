package dev.jot.jwt;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A small lock-free pool of non-thread-safe objects (initialised {@code Mac}/{@code Signature} instances).
 * Unlike a ThreadLocal it also works for virtual threads, which are created per request and would otherwise
 * pay for a fresh instance every time. When the pool is empty a new object is made; when full, it is dropped.
 */
final class Pool<T> {
    private final AtomicReferenceArray<T> slots;
    private final Supplier<T> factory;

    Pool(Supplier<T> factory) {
        this.factory = factory;
        this.slots = new AtomicReferenceArray<>(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    }

    T take() {
        for (int i = 0; i < slots.length(); i++) {
            T t = slots.getPlain(i);
            if (t != null && slots.compareAndSet(i, t, null)) {
                return t;
            }
        }
        return factory.get();
    }

    void give(T t) {
        for (int i = 0; i < slots.length(); i++) {
            if (slots.getPlain(i) == null && slots.compareAndSet(i, null, t)) {
                return;
            }
        }
    }
}
