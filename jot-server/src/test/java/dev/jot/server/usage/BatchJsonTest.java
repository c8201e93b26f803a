package dev.jot.server.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jot.guard.usage.RejectedCount;
import dev.jot.guard.usage.UsageBatch;
import dev.jot.guard.usage.UsageCount;
import dev.jot.server.error.ServerError;
import dev.jot.server.error.ServerException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The batch reader, token by token: what it accepts (members in any order, nulls for optional members) and, as a
 * table, what it refuses and how it says so. The HTTP contract (UsageContractTest) covers the same through the route.
 */
class BatchJsonTest {
    static final String COUNT = "{\"minute\":1764518400,\"sub\":\"u1\",\"client_id\":\"c\",\"audience\":\"api\","
            + "\"route\":\"/orders/{id}\",\"status\":\"2xx\",\"count\":7}";

    static UsageBatch parse(String json) {
        return BatchJson.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aBatchIsReadWhateverTheOrderOfItsMembers() {
        UsageBatch b = parse("{\"rejected\":[{\"count\":3,\"reason\":\"token_expired\",\"minute\":1764518460}],"
                + "\"counts\":[" + COUNT + ",{\"status\":\"4xx\",\"count\":0,\"route\":\"/a\",\"sub\":\"u2\","
                + "\"minute\":1764518400,\"client_id\":null}],\"merged_buckets\":4,\"instance\":\"orders-1\","
                + "\"batch_id\":\"b-1\"}");
        assertThat(b.id()).isEqualTo("b-1");
        assertThat(b.instance()).isEqualTo("orders-1");
        assertThat(b.mergedBuckets()).isEqualTo(4);
        assertThat(b.counts()).containsExactly(
                new UsageCount(new UsageCount.Key(1764518400, "u1", "c", "api", "/orders/{id}", "2xx"), 7),
                new UsageCount(new UsageCount.Key(1764518400, "u2", null, null, "/a", "4xx"), 0));
        assertThat(b.rejected()).containsExactly(new RejectedCount(1764518460, "token_expired", 3));
    }

    @Test
    void absentOrNullListsAndOptionalMembersAreEmpty() {
        UsageBatch b = parse("{\"batch_id\":\"b\",\"instance\":null,\"merged_buckets\":null,\"counts\":null}");
        assertThat(b.counts()).isEmpty();
        assertThat(b.rejected()).isEmpty();
        assertThat(b.instance()).isNull();
        assertThat(b.mergedBuckets()).isZero();
    }

    @Test
    void aBatchOfTheMostEntriesIsReadAndOneMoreIsRefused() {
        StringBuilder most = new StringBuilder("{\"batch_id\":\"b\",\"counts\":[");
        for (int i = 0; i < UsageBatch.MAX_ENTRIES - 1; i++) {
            most.append(i == 0 ? "" : ",").append(COUNT);
        }
        String full = most + "],\"rejected\":[{\"minute\":0,\"reason\":\"r\",\"count\":1}]}";
        assertThat(parse(full).counts()).hasSize(UsageBatch.MAX_ENTRIES - 1);
        String over = most + "," + COUNT + "],\"rejected\":[{\"minute\":0,\"reason\":\"r\",\"count\":1}]}";
        assertThatThrownBy(() -> parse(over)).isInstanceOf(ServerException.class)
                .hasMessageContaining("at most " + UsageBatch.MAX_ENTRIES + " entries");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "not JSON                              | counts=1                                         | not valid JSON",
            "an array, not an object               | []                                               | must be a JSON object",
            "trailing data                         | {\"batch_id\":\"b\"} {}                          | not valid JSON",
            "a duplicate member                    | {\"batch_id\":\"b\",\"batch_id\":\"c\"}          | the member 'batch_id' twice",
            "a duplicate list                      | {\"batch_id\":\"b\",\"counts\":[],\"counts\":[]} | the member 'counts' twice",
            "a duplicate member in an entry        | {\"batch_id\":\"b\",\"counts\":[{\"sub\":\"u\",\"sub\":\"v\"}]} | a count has the member 'sub' twice",
            "cut short                             | {\"batch_id\":\"b\",\"counts\":[                 | not valid JSON",
            "no batch id                           | {\"counts\":[]}                                  | 'batch_id' must be",
            "a batch id that is a number           | {\"batch_id\":7}                                 | 'batch_id' must be",
            "a batch id with a space               | {\"batch_id\":\"a b\"}                           | 'batch_id' must be",
            "an unknown member                     | {\"batch_id\":\"b\",\"colour\":1}                | unknown member 'colour'",
            "counts that are an object             | {\"batch_id\":\"b\",\"counts\":{}}               | 'counts' must be an array",
            "an entry that is a number             | {\"batch_id\":\"b\",\"counts\":[1]}              | each of 'counts' must be an object",
            "a rejected entry that is an array     | {\"batch_id\":\"b\",\"rejected\":[[]]}           | each of 'rejected' must be an object",
            "an entry's unknown member             | {\"batch_id\":\"b\",\"counts\":[{\"colour\":1}]} | a count has an unknown member 'colour'",
            "an entry without a minute             | {\"batch_id\":\"b\",\"counts\":[{\"sub\":\"u\"}]} | missing 'minute'",
            "a minute inside a minute              | {\"batch_id\":\"b\",\"counts\":[{\"minute\":61}]} | multiple of 60",
            "a minute as text                      | {\"batch_id\":\"b\",\"counts\":[{\"minute\":\"60\"}]} | 'minute' must be a whole number",
            "a minute as an object                 | {\"batch_id\":\"b\",\"counts\":[{\"minute\":{\"a\":[1]}}]} | 'minute' must be a whole number",
            "a minute past a long                  | {\"batch_id\":\"b\",\"counts\":[{\"minute\":99999999999999999999999}]} | 'minute' must be a whole number",
            "a fractional count                    | {\"batch_id\":\"b\",\"rejected\":[{\"minute\":60,\"reason\":\"r\",\"count\":1.5}]} | 'count' must be a whole number",
            "a count in exponent form              | {\"batch_id\":\"b\",\"rejected\":[{\"minute\":60,\"reason\":\"r\",\"count\":1e3}]} | 'count' must be a whole number",
            "a negative count                      | {\"batch_id\":\"b\",\"rejected\":[{\"minute\":60,\"reason\":\"r\",\"count\":-1}]} | 'count' must be a whole number",
            "a reason with a space                 | {\"batch_id\":\"b\",\"rejected\":[{\"minute\":60,\"reason\":\"a b\",\"count\":1}]} | 'reason' must be",
            "an empty subject                      | {\"batch_id\":\"b\",\"counts\":[{\"minute\":60,\"sub\":\"\"}]} | 'sub' must be a string",
            "a null subject                        | {\"batch_id\":\"b\",\"counts\":[{\"minute\":60,\"sub\":null}]} | missing 'sub'",
            "a control character in a route        | {\"batch_id\":\"b\",\"counts\":[{\"minute\":60,\"sub\":\"u\",\"route\":\"/a\\u0007\"}]} | control character",
            "a status that is no class             | {\"batch_id\":\"b\",\"counts\":[{\"minute\":60,\"sub\":\"u\",\"route\":\"/a\",\"status\":\"200\"}]} | 'status' must be one of",
            "an instance that is a number          | {\"batch_id\":\"b\",\"instance\":5}              | 'instance' must be a string",
            "merged buckets below zero             | {\"batch_id\":\"b\",\"merged_buckets\":-2}       | 'merged_buckets' must be a whole number"})
    void aBadBatchIsRefusedNamingItsFault(String why, String json, String detail) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(ServerException.class, e -> {
            assertThat(e.error()).isEqualTo(ServerError.USAGE_BATCH_INVALID);
            assertThat(e.detail()).contains(detail);
        });
    }

    @Test
    void deepNestingIsRefusedWithoutReadingIt() {
        String deep = "{\"batch_id\":\"b\",\"instance\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        assertThatThrownBy(() -> parse(deep)).isInstanceOfSatisfying(ServerException.class,
                e -> assertThat(e.error()).isEqualTo(ServerError.USAGE_BATCH_INVALID));
    }
}
