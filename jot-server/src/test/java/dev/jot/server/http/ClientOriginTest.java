package dev.jot.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jot.server.config.Cidr;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who the client is, as a table: peer, forwarding headers, trusted proxies → address and scheme. */
class ClientOriginTest {
    static final List<Cidr> TRUSTED = List.of(Cidr.parse("10.0.0.0/8").orElseThrow(), Cidr.parse("::1").orElseThrow());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "untrusted peer: headers ignored         | 192.0.2.9 | -                                   | 6.6.6.6           | https | 192.0.2.9    | false",
            "trusted peer: X-Forwarded-For           | 10.0.0.2  | -                                   | 203.0.113.5       | https | 203.0.113.5  | true",
            "a prepended fake address is ignored     | 10.0.0.2  | -                                   | 6.6.6.6, 203.0.113.5 | http | 203.0.113.5 | false",
            "chains of trusted proxies are skipped   | 10.0.0.2  | -                                   | 203.0.113.5, 10.1.1.1 | -  | 203.0.113.5  | false",
            "Forwarded wins over X-Forwarded-For     | 10.0.0.2  | for=198.51.100.7;proto=https        | 203.0.113.5       | http  | 198.51.100.7 | true",
            "Forwarded with IPv6 and a port          | ::1       | for=\"[2001:db8::1]:4711\"          | -                 | -     | 2001:db8:0:0:0:0:0:1 | false",
            "IPv4 with a port                        | 10.0.0.2  | for=\"192.0.2.60:4711\";proto=http  | -                 | -     | 192.0.2.60   | false",
            "an obfuscated hop stops at the proxy    | 10.0.0.2  | for=_hidden                         | -                 | -     | 10.0.0.2     | false",
            "garbage is not an address               | 10.0.0.2  | -                                   | not-an-ip         | -     | 10.0.0.2     | false",
            "a host name is never looked up          | 10.0.0.2  | -                                   | localhost         | -     | 10.0.0.2     | false"})
    void theClientIsTheFirstUntrustedHopFromTheRight(String why, String peer, String forwarded, String xff,
                                                      String proto, String address, boolean secure) {
        ClientOrigin o = ClientOrigin.resolve(TRUSTED, peer, false, forwarded == null ? List.of() : List.of(forwarded),
                xff == null ? List.of() : List.of(xff), proto == null ? List.of() : List.of(proto));
        assertThat(o.address()).isEqualTo(address);
        assertThat(o.secure()).isEqualTo(secure);
    }
}
