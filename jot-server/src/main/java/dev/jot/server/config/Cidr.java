package dev.jot.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A block of IP addresses written as {@code 10.0.0.0/8}, {@code 2001:db8::/32} or one address ({@code 127.0.0.1},
 * a block of one). Parsed from IP literals only, never by a name lookup: a trusted-proxy setting must not depend
 * on DNS.
 */
public record Cidr(byte[] network, int prefix) {
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    public Cidr {
        network = network.clone();
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix out of range");
        }
    }

    /** The block {@code text} names, or empty when it is not an IP literal with an optional {@code /prefix}. */
    public static Optional<Cidr> parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        Optional<byte[]> bytes = literal(address);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        int bits = bytes.get().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > bits) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(p);
        }
        return Optional.of(new Cidr(bytes.get(), prefix));
    }

    /** The bytes of an IPv4 or IPv6 literal (an IPv4-mapped IPv6 address counts as IPv4), never a DNS lookup. */
    public static Optional<byte[]> literal(String address) {
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        // Only characters of IP literals, and a dot or colon: InetAddress.getByName then parses without resolving.
        if (a.isEmpty() || a.length() > 45 || !LITERAL.matcher(a).matches() || (a.indexOf('.') < 0 && a.indexOf(':') < 0)) {
            return Optional.empty();
        }
        if (a.indexOf(':') < 0 && !a.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            return Optional.empty(); // "1.2" or "010.1.1.1" forms that InetAddress reads in odd ways
        }
        try {
            return Optional.of(InetAddress.getByName(a).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code address} (as {@link #literal} gives it) lies in this block. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
