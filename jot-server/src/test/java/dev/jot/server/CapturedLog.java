package dev.jot.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import dev.jot.server.config.LogFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * The log lines the server writes while a test runs, encoded as {@code --log-format} would write them: an
 * appender on the root logger, with the access log turned up to INFO. Close it to detach.
 */
final class CapturedLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final Encoder<ILoggingEvent> encoder;
    private final List<String> lines = new ArrayList<>();
    private final Logger access;
    private final Level accessLevel;

    CapturedLog(LogFormat format) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        encoder = LogOutput.encoder(format, context);
        setContext(context);
        setName("captured-" + format);
        start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(this);
        access = context.getLogger(dev.jot.server.http.RequestObserver.ACCESS_LOGGER);
        accessLevel = access.getLevel();
        access.setLevel(Level.INFO);
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        String text = new String(encoder.encode(event), StandardCharsets.UTF_8);
        text.lines().forEach(lines::add);
        notifyAll();
    }

    /** Every line so far. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /**
     * The first line that matches, waiting up to 10 s for it: Jetty writes the access line once the answer is
     * complete, which may be just after the client has read it.
     */
    synchronized String await(Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            for (String line : lines) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no such log line among " + lines);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) getContext();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(this);
        access.setLevel(accessLevel);
        stop();
    }
}
