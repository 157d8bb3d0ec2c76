package io.bosun.agent.cluster.credentials;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The few DER (X.690) encodings PKCS#10 requests, X.509 certificates and SEC1/PKCS#1 keys need: the JDK parses these
 * structures but has no public API to build them.
 */
final class Der {

    private static final int BOOLEAN = 0x01;
    private static final int INTEGER = 0x02;
    private static final int BIT_STRING = 0x03;
    private static final int OCTET_STRING = 0x04;
    private static final int OID = 0x06;
    private static final int UTF8_STRING = 0x0c;
    private static final int UTC_TIME = 0x17;
    private static final int GENERALIZED_TIME = 0x18;
    private static final java.time.format.DateTimeFormatter UTC_TIME_FORMAT =
            java.time.format.DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(java.time.ZoneOffset.UTC);
    private static final java.time.format.DateTimeFormatter GENERALIZED_TIME_FORMAT =
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(java.time.ZoneOffset.UTC);
    private static final int SEQUENCE = 0x30;
    private static final int SET = 0x31;

    private Der() {
    }

    static byte[] sequence(byte[]... elements) {
        return tlv(SEQUENCE, concat(elements));
    }

    static byte[] set(byte[]... elements) {
        return tlv(SET, concat(elements));
    }

    static byte[] integer(BigInteger value) {
        return tlv(INTEGER, value.toByteArray());
    }

    static byte[] bool(boolean value) {
        return tlv(BOOLEAN, new byte[] {value ? (byte) 0xff : 0});
    }

    static byte[] nullValue() {
        return new byte[] {0x05, 0x00};
    }

    /** A certificate time as RFC 5280 wants it: UTCTime through 2049, GeneralizedTime after; whole seconds. */
    static byte[] time(java.time.Instant instant) {
        int year = instant.atZone(java.time.ZoneOffset.UTC).getYear();
        return year >= 1950 && year < 2050
                ? tlv(UTC_TIME, UTC_TIME_FORMAT.format(instant).getBytes(StandardCharsets.US_ASCII))
                : tlv(GENERALIZED_TIME, GENERALIZED_TIME_FORMAT.format(instant).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A BIT STRING of named bits (bit 0 the most significant of the first byte), trailing zero bits dropped as DER
     * requires: a key usage.
     */
    static byte[] namedBits(int... bits) {
        int highest = java.util.Arrays.stream(bits).max().orElseThrow();
        byte[] value = new byte[highest / 8 + 1];
        for (int bit : bits) {
            value[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        byte[] content = new byte[value.length + 1];
        content[0] = (byte) (7 - highest % 8);
        System.arraycopy(value, 0, content, 1, value.length);
        return tlv(BIT_STRING, content);
    }

    /** An implicitly tagged, primitive context-specific element {@code [tag]}: a GeneralName's form. */
    static byte[] contextPrimitive(int tag, byte[] content) {
        if (tag < 0 || tag > 30) {
            throw new IllegalArgumentException("context tag " + tag);
        }
        return tlv(0x80 | tag, content);
    }

    static byte[] utf8(String value) {
        return tlv(UTF8_STRING, value.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] octetString(byte[] value) {
        return tlv(OCTET_STRING, value);
    }

    /** A BIT STRING of whole bytes (no unused bits), as keys and signatures are. */
    static byte[] bitString(byte[] value) {
        byte[] content = new byte[value.length + 1];
        System.arraycopy(value, 0, content, 1, value.length);
        return tlv(BIT_STRING, content);
    }

    /** An explicitly tagged, constructed context-specific element {@code [tag]}. */
    static byte[] contextConstructed(int tag, byte[]... elements) {
        if (tag < 0 || tag > 30) {
            throw new IllegalArgumentException("context tag " + tag);
        }
        return tlv(0xa0 | tag, concat(elements));
    }

    /** An OBJECT IDENTIFIER in dotted form, e.g. {@code 2.5.4.3}. */
    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        if (arcs.length < 2) {
            throw new IllegalArgumentException("object identifier " + dotted);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, new BigInteger(arcs[0]).multiply(BigInteger.valueOf(40)).add(new BigInteger(arcs[1])));
        for (int i = 2; i < arcs.length; i++) {
            base128(out, new BigInteger(arcs[i]));
        }
        return tlv(OID, out.toByteArray());
    }

    private static void base128(ByteArrayOutputStream out, BigInteger value) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException("negative arc " + value);
        }
        int groups = Math.max(1, (value.bitLength() + 6) / 7);
        for (int g = groups - 1; g >= 0; g--) {
            int septet = value.shiftRight(7 * g).intValue() & 0x7f;
            out.write(g == 0 ? septet : septet | 0x80);
        }
    }

    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** One decoded element: its tag and content. */
    record Element(int tag, byte[] content) {
    }

    /** The elements inside a constructed element's {@code content}, in order. */
    static java.util.List<Element> children(byte[] content) {
        java.util.List<Element> out = new java.util.ArrayList<>();
        int i = 0;
        while (i < content.length) {
            int tag = content[i++] & 0xff;
            if (i >= content.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            int length = content[i++] & 0xff;
            if (length >= 0x80) {
                int bytes = length & 0x7f;
                if (bytes == 0 || bytes > 3 || i + bytes > content.length) {
                    throw new IllegalArgumentException("unsupported DER length");
                }
                length = 0;
                for (int b = 0; b < bytes; b++) {
                    length = (length << 8) | (content[i++] & 0xff);
                }
            }
            if (i + length > content.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            out.add(new Element(tag, java.util.Arrays.copyOfRange(content, i, i + length)));
            i += length;
        }
        return out;
    }
}
