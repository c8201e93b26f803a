package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jot.guard.usage.UsageBatch;
import dev.jot.guard.usage.UsageMeter;
import dev.jot.guard.usage.UsageShipper;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link UsageShipper} with {@link HttpUsageSink} against an issuer's {@code POST /usage/batches} over real HTTP.
 * Intervals are {@link UsageShipper#shipNow()} calls and minutes the {@link MutableClock}: nothing sleeps.
 */
class UsageShipperTest {

    private final MutableClock clock = new MutableClock(Tokens.T0);
    private final UsageMeter meter = new UsageMeter(clock);
    private final UsageIssuer issuer;
    private final HttpUsageSink sink;

    UsageShipperTest() throws Exception {
        issuer = new UsageIssuer();
        sink = HttpUsageSink.forIssuer(issuer.issuer(), () -> UsageIssuer.TOKEN);
    }

    @AfterEach
    void stop() {
        sink.close();
        issuer.close();
    }

    private UsageShipper.Builder shipper() {
        return UsageShipper.builder(meter, sink).clock(clock).instance("orders-api-1");
    }

    private void requests(String sub, int n) {
        for (int i = 0; i < n; i++) {
            meter.count(sub, null, "orders-api", "/orders/{id}", 200);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBatchCarriesTheContractsWireForm() {
        UsageShipper s = shipper().build();
        meter.count("ada", "key-7", "orders-api", "/orders/{id}", 200);
        meter.count("ada", "key-7", "orders-api", "/orders/{id}", 200);
        meter.rejected("token_expired");
        assertThat(s.shipNow()).isTrue();
        Map<String, Object> batch = issuer.batches().getFirst();
        assertThat(batch).containsOnlyKeys("batch_id", "instance", "merged_buckets", "counts", "rejected")
                .containsEntry("instance", "orders-api-1").containsEntry("merged_buckets", 0L);
        assertThat((String) batch.get("batch_id")).matches(UsageBatch.ID);
        long minute = Tokens.T0.getEpochSecond();
        assertThat((List<Object>) batch.get("counts")).containsExactly(Map.<String, Object>of("minute", minute, "sub", "ada",
                "client_id", "key-7", "audience", "orders-api", "route", "/orders/{id}", "status", "2xx", "count", 2L));
        assertThat((List<Object>) batch.get("rejected")).containsExactly(Map.<String, Object>of("minute", minute, "reason", "token_expired",
                "count", 1L));
        assertThat(s.shipNow()).as("nothing new: nothing sent").isTrue();
        assertThat(issuer.received).hasSize(1);
    }

    @Test
    void aBatchWhoseAnswerWasLostIsSentAgainWithTheSameIdAndCountedOnce() {
        UsageShipper s = shipper().build();
        requests("ada", 5);
        issuer.loseAnswers = true;
        assertThat(s.shipNow()).isFalse();
        requests("ada", 3); // counted meanwhile: goes in a later batch, never into the one being retried
        issuer.loseAnswers = false;
        assertThat(s.shipNow()).isTrue();
        assertThat(issuer.received).hasSize(3);
        assertThat(issuer.received.get(1)).as("the retry").isEqualTo(issuer.received.get(0));
        assertThat(issuer.received.get(2)).isNotEqualTo(issuer.received.get(0));
        assertThat(issuer.totals()).containsExactly(Map.entry("ada /orders/{id} 2xx", 8L));
    }

    @Test
    void countsMadeWhileTheIssuerIsDownForManyIntervalsAllArriveWhenItIsBack() {
        UsageShipper s = shipper().build();
        issuer.down = true;
        long made = 0;
        for (int interval = 0; interval < 60; interval++) { // ten minutes of 10-second intervals
            requests("ada", interval % 7);
            requests("bob", 1);
            made += interval % 7 + 1;
            assertThat(s.shipNow()).isFalse();
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(s.pendingCount()).isEqualTo(made);
        assertThat(s.failures()).isEqualTo(60);
        issuer.down = false;
        assertThat(s.shipNow()).isTrue();
        assertThat(issuer.total()).isEqualTo(made);
        assertThat(issuer.batches()).allSatisfy(b -> assertThat(b).containsEntry("merged_buckets", 0L));
        assertThat(s.pendingCount()).isZero();
        assertThat(s.lastShippedAt()).contains(clock.instant());
    }

    @Test
    void pastTheBufferBoundOldMinutesAreMergedTotalsStayExactAndTheMergesAreReported() {
        UsageShipper s = shipper().maxBufferedMinutes(3).build();
        issuer.down = true;
        long made = 0;
        for (int minute = 0; minute < 12; minute++) {
            requests("ada", minute + 1);
            meter.rejected("token_invalid");
            made += minute + 2;
            s.shipNow();
            assertThat(s.bufferedMinutes()).isLessThanOrEqualTo(3);
            clock.advance(Duration.ofMinutes(1));
        }
        issuer.down = false;
        assertThat(s.shipNow()).isTrue();
        assertThat(issuer.total()).isEqualTo(made);
        long merged = issuer.batches().stream().mapToLong(b -> (Long) b.get("merged_buckets")).sum();
        assertThat(merged).as("12 minutes: the first in the batch held back, 3 kept, so 8 merged").isEqualTo(8);
        Set<Object> minutes = new TreeSet<>();
        issuer.batches().forEach(b -> ((List<?>) b.get("counts")).forEach(c -> minutes.add(((Map<?, ?>) c).get("minute"))));
        assertThat(minutes).hasSize(4);
    }

    @Test
    void moreEntriesThanABatchHoldsAreSplitIntoSeveralBatches() {
        UsageShipper s = shipper().build();
        int subjects = UsageBatch.MAX_ENTRIES * 2 + 17;
        for (int i = 0; i < subjects; i++) {
            meter.count("u" + i, null, "orders-api", "/orders", 200);
        }
        assertThat(s.shipNow()).isTrue();
        assertThat(issuer.batches()).hasSize(3)
                .allSatisfy(b -> assertThat((List<?>) b.get("counts")).hasSizeLessThanOrEqualTo(UsageBatch.MAX_ENTRIES));
        assertThat(issuer.total()).isEqualTo(subjects);
    }

    @Test
    void closingShipsWhatIsLeftAndStopsTheBackgroundThread() throws Exception {
        UsageShipper s = shipper().interval(Duration.ofHours(1)).start();
        assertThat(Polling.threadsNamed("jot-guard-usage")).isEqualTo(1);
        requests("ada", 4);
        s.close();
        assertThat(issuer.total()).isEqualTo(4);
        Polling.until(() -> Polling.threadsNamed("jot-guard-usage") == 0);
    }

    @Test
    void theBackgroundThreadShipsEveryInterval() throws Exception {
        try (UsageShipper s = shipper().interval(Duration.ofMillis(20)).start()) {
            requests("ada", 2);
            Polling.until(() -> issuer.total() == 2);
            assertThat(s.batchesShipped()).isEqualTo(1);
        }
    }

    @Test
    void aBatchTheIssuerRefusesIsNotStored() {
        try (HttpUsageSink wrongToken = HttpUsageSink.forIssuer(issuer.issuer(), () -> "not.the.token")) {
            UsageShipper s = UsageShipper.builder(meter, wrongToken).build();
            requests("ada", 1);
            assertThat(s.shipNow()).isFalse();
            assertThat(s.pendingCount()).isEqualTo(1);
        }
    }

    @Test
    void afterA401TheClientCredentialsAskForANewTokenForTheNextAttempt() {
        try (ClientCredentials client = ClientCredentials.atTokenEndpoint(URI.create(issuer.issuer() + "/token"), "api",
                "secret").scope("jot:usage").clock(clock).build();
             HttpUsageSink viaClient = HttpUsageSink.forIssuer(issuer.issuer(), client)) {
            UsageShipper s = UsageShipper.builder(meter, viaClient).build();
            issuer.accepted = "usage.token.1";
            requests("ada", 1);
            assertThat(s.shipNow()).isTrue();
            issuer.accepted = "usage.token.2"; // the issuer no longer takes the first token (e.g. it restarted)
            requests("ada", 1);
            assertThat(s.shipNow()).isFalse();
            assertThat(s.shipNow()).as("a new token, the same batch").isTrue();
            assertThat(issuer.tokensIssued).hasValue(2);
            assertThat(issuer.total()).isEqualTo(2);
        }
    }

    @Test
    void batchesGoOverHttpsOrToALoopbackAddressOnly() {
        assertThat(HttpUsageSink.forIssuer("https://auth.example.com", () -> "t").endpoint())
                .isEqualTo(URI.create("https://auth.example.com/usage/batches"));
        assertThatThrownBy(() -> HttpUsageSink.forIssuer("http://auth.example.com", () -> "t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
    }
}
