package dev.jot.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.jot.server.config.LogFormat;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The format of the process's log lines ({@code --log-format}), applied by {@code jot serve} before the server
 * starts: the encoder of every console/file appender of the root logger is replaced.
 *
 * <ul>
 *   <li>{@code text}: {@code 12:00:00.000 INFO  dev.jot.access [3f2a...] - GET /me 200 57B 3ms 127.0.0.1}: the
 *       request id in brackets when there is one;</li>
 *   <li>{@code json}: logback's {@link JsonEncoder}, one object per line: {@code timestamp} (epoch ms),
 *       {@code level}, {@code threadName}, {@code loggerName}, {@code mdc} (with {@code request_id}),
 *       {@code kvpList} (the access log's fields), {@code formattedMessage}, and {@code throwable} when there is
 *       one.</li>
 * </ul>
 */
public final class LogOutput {
    /** The text pattern: time, level, logger, the request id when there is one, the message. */
    static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20}%replace( [%X{request_id}]){' \\[\\]', ''} - %msg%n";

    private LogOutput() {
    }

    /** Switches the root logger's appenders to {@code format}. */
    public static void apply(LogFormat format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J backend: it has its own configuration
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        List<OutputStreamAppender<ILoggingEvent>> appenders = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> a) {
                appenders.add(a);
            }
        }
        for (OutputStreamAppender<ILoggingEvent> appender : appenders) {
            Encoder<ILoggingEvent> encoder = encoder(format, context);
            appender.stop();
            appender.setEncoder(encoder);
            appender.start();
        }
    }

    /** A started encoder for {@code format}. */
    public static Encoder<ILoggingEvent> encoder(LogFormat format, LoggerContext context) {
        Encoder<ILoggingEvent> encoder = switch (format) {
            case TEXT -> {
                PatternLayoutEncoder e = new PatternLayoutEncoder();
                e.setPattern(TEXT_PATTERN);
                yield e;
            }
            case JSON -> {
                JsonEncoder e = new JsonEncoder();
                e.setWithSequenceNumber(false);
                e.setWithNanoseconds(false);
                e.setWithContext(false);
                e.setWithMessage(false); // the pattern with {}: the formatted message says it all
                e.setWithArguments(false);
                e.setWithFormattedMessage(true);
                yield e;
            }
        };
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }
}
