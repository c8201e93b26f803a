package dev.jot.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.greenbytes.http.sfv.IntegerItem;
import org.greenbytes.http.sfv.Item;
import org.greenbytes.http.sfv.ListElement;
import org.greenbytes.http.sfv.OuterList;
import org.greenbytes.http.sfv.Parser;
import org.greenbytes.http.sfv.StringItem;

/**
 * Reads {@code RateLimit-Policy} and {@code RateLimit} with a Structured Field Values parser (RFC 8941/9651), as
 * draft-ietf-httpapi-ratelimit-headers defines them: each a List of String Items with Integer parameters.
 */
final class RateLimitFields {

    /** One list member: its name and integer parameters, in order. */
    record Member(String name, Map<String, Long> params) {
    }

    private RateLimitFields() {
    }

    /** Parses {@code value} as an sf-list of sf-string items whose parameters are all integers. */
    static List<Member> parse(String value) {
        OuterList list = Parser.parseList(value);
        List<Member> out = new ArrayList<>();
        for (ListElement<?> e : list.get()) {
            assertThat(e).as("a member of " + value + " is an Item").isInstanceOf(Item.class);
            assertThat(e).as("a policy name is an sf-string").isInstanceOf(StringItem.class);
            StringItem item = (StringItem) e;
            Map<String, Long> params = new LinkedHashMap<>();
            item.getParams().forEach((k, v) -> {
                assertThat(v).as(k + " in " + value + " is an sf-integer").isInstanceOf(IntegerItem.class);
                params.put(k, ((IntegerItem) v).get());
            });
            out.add(new Member(item.get(), params));
        }
        return out;
    }

    /** The policies: every member has {@code q}, and {@code w} when the window is known. */
    static List<Member> policies(String value) {
        List<Member> policies = parse(value);
        assertThat(policies).allSatisfy(m -> assertThat(m.params()).containsKey("q"));
        return policies;
    }

    /** The one member of {@code RateLimit}, with {@code r} and {@code t}. */
    static Member limit(String value) {
        List<Member> members = parse(value);
        assertThat(members).hasSize(1);
        assertThat(members.getFirst().params()).containsOnlyKeys("r", "t");
        return members.getFirst();
    }
}
