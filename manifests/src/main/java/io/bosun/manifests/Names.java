package io.bosun.manifests;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/** The apimachinery syntax rules for names and keys, each with the sentence that explains it in a problem. */
final class Names {

    static final String LABEL_RULE = "must be a lowercase RFC 1123 label: at most 63 characters of a-z, 0-9 and '-',"
            + " starting and ending with a letter or digit";
    static final String SUBDOMAIN_RULE = "must be a lowercase RFC 1123 subdomain: at most 253 characters of a-z, 0-9,"
            + " '-' and '.', each dot-separated part starting and ending with a letter or digit";
    static final String PORT_NAME_DESCRIPTION = "an IANA service name: at most 15 characters of a-z, 0-9 and '-',"
            + " with at least one letter, starting and ending with a letter or digit, and no '--'";
    static final String PORT_NAME_RULE = "must be " + PORT_NAME_DESCRIPTION;
    static final String ENV_NAME_RULE = "must be printable ASCII characters other than '='";
    static final String QUALIFIED_NAME_RULE = "must be a qualified name: an optional DNS subdomain prefix and '/',"
            + " then at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter"
            + " or digit";
    static final String LABEL_VALUE_RULE = "must be empty or at most 63 characters of letters, digits, '-', '_' and"
            + " '.', starting and ending with a letter or digit";
    static final String HEADER_NAME_RULE = "must be an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)";

    static final String NUL_RULE = "must not contain NUL characters";
    static final String TOKEN_RULE = "must not contain whitespace or control characters";

    static final String UID_RULE = "must be 1-64 characters of lowercase letters, digits and '-' (a UUID)";
    private static final Pattern UID = Pattern.compile("[a-z0-9][-a-z0-9]{0,63}");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(DNS_LABEL + "(\\." + DNS_LABEL + ")*");
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern HEADER_NAME = Pattern.compile("[-!#$%&'*+.^_`|~0-9a-zA-Z]+");
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile("(" + OCTET + "\\.){3}" + OCTET);
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-fA-F:.]+");

    private Names() {
    }

    static boolean isUid(String value) {
        return UID.matcher(value).matches();
    }

    static boolean isDnsLabel(String value) {
        return value.length() <= 63 && DNS_LABEL.matcher(value).matches();
    }

    static boolean isDnsSubdomain(String value) {
        return value.length() <= 253 && DNS_SUBDOMAIN.matcher(value).matches();
    }

    static boolean isPortName(String value) {
        return value.length() <= 15 && PORT_NAME.matcher(value).matches() && !value.contains("--")
                && value.chars().anyMatch(c -> c >= 'a' && c <= 'z');
    }

    /** The apiserver's relaxed rule, now the default: anything printable but '='. */
    static boolean isEnvName(String value) {
        return !value.isEmpty() && value.chars().allMatch(c -> c >= ' ' && c <= '~' && c != '=');
    }

    /** Label keys and annotation keys: {@code example.com/name} or {@code name}. */
    static boolean isQualifiedName(String value) {
        int slash = value.lastIndexOf('/');
        String name = slash < 0 ? value : value.substring(slash + 1);
        if (slash >= 0) {
            String prefix = value.substring(0, slash);
            if (prefix.isEmpty() || !isDnsSubdomain(prefix)) {
                return false;
            }
        }
        return !name.isEmpty() && name.length() <= 63 && QUALIFIED_NAME_PART.matcher(name).matches();
    }

    static boolean isLabelValue(String value) {
        return value.isEmpty() || (value.length() <= 63 && QUALIFIED_NAME_PART.matcher(value).matches());
    }

    static boolean isHeaderName(String value) {
        return HEADER_NAME.matcher(value).matches();
    }

    /** A literal IPv4 or IPv6 address, without zone; never resolves a name. */
    static boolean isIpAddress(String value) {
        if (IPV4.matcher(value).matches()) {
            return true;
        }
        if (!value.contains(":") || !IPV6_CHARACTERS.matcher(value).matches()) {
            return false;
        }
        try {
            // With a ':' and only hex digits, colons and dots this is parsed as a literal, with no lookup.
            InetAddress.getByName(value);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A NUL cannot be part of a Linux path; Java refuses such a path outright, so it never gets that far. */
    static boolean hasNul(String value) {
        return value.indexOf('\0') >= 0;
    }

    /**
     * Whether a value is one token of a line-oriented file such as resolv.conf: written there as it is, a space,
     * newline or other control character would start another field or line of the value's own choosing.
     */
    static boolean isToken(String value) {
        return value.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)
                || Character.isSpaceChar(c));
    }

    /** Whether a path has a {@code ..} element, which could climb out of where it is meant to stay. */
    static boolean hasBackstep(String path) {
        return Arrays.asList(path.split("/")).contains("..");
    }
}
