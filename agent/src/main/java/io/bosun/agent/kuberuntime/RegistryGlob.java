package io.bosun.agent.kuberuntime;

/**
 * The kubelet's URLsMatchStr: whether a registry key (host, optional port, optional path, schemeless) covers an
 * image repository. Ports must be equal, hosts must have as many dot-separated labels, each label matched as a
 * glob ({@code *.example.com} covers {@code a.example.com}, not {@code a.b.example.com}), and the key's path must
 * be a prefix of the repository's.
 */
final class RegistryGlob {

    private RegistryGlob() {
    }

    static boolean matches(String glob, String target) {
        String[] g = hostAndPath(glob);
        String[] t = hostAndPath(target);
        String[] gHost = hostAndPort(g[0]);
        String[] tHost = hostAndPort(t[0]);
        if (!gHost[1].equals(tHost[1])) {
            return false;
        }
        String[] gLabels = gHost[0].split("\\.", -1);
        String[] tLabels = tHost[0].split("\\.", -1);
        if (gLabels.length != tLabels.length || !t[1].startsWith(g[1])) {
            return false;
        }
        for (int i = 0; i < gLabels.length; i++) {
            if (!Glob.matches(gLabels[i], tLabels[i])) {
                return false;
            }
        }
        return true;
    }

    /** As Go's url.Parse of {@code https://<s>}: the authority ends at the first slash, query or fragment. */
    private static String[] hostAndPath(String s) {
        int end = s.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = s.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String rest = s.substring(end);
        int cut = rest.length();
        for (char c : new char[] {'?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        return new String[] {s.substring(0, end), rest.substring(0, cut)};
    }

    /** As Go's net.SplitHostPort, falling back to the whole host with no port when it does not parse. */
    private static String[] hostAndPort(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close > 0 && host.length() > close + 1 && host.charAt(close + 1) == ':') {
                return new String[] {host.substring(1, close), host.substring(close + 2)};
            }
            return new String[] {host, ""};
        }
        int colon = host.indexOf(':');
        if (colon >= 0 && colon == host.lastIndexOf(':')) {
            return new String[] {host.substring(0, colon), host.substring(colon + 1)};
        }
        return new String[] {host, ""};
    }

    /** Go's filepath.Match for one host label: {@code *}, {@code ?}, {@code [...]} classes, {@code \} escapes. */
    static final class Glob {

        private Glob() {
        }

        static boolean matches(String pattern, String name) {
            return match(pattern, 0, name, 0);
        }

        private static boolean match(String p, int pi, String s, int si) {
            while (pi < p.length()) {
                char c = p.charAt(pi);
                switch (c) {
                    case '*' -> {
                        for (int k = s.length(); k >= si; k--) {
                            if (match(p, pi + 1, s, k)) {
                                return true;
                            }
                        }
                        return false;
                    }
                    case '?' -> {
                        if (si >= s.length()) {
                            return false;
                        }
                        pi++;
                        si++;
                    }
                    case '[' -> {
                        int close = p.indexOf(']', pi + 1);
                        if (close < 0 || si >= s.length()) {
                            return false;
                        }
                        if (!inClass(p.substring(pi + 1, close), s.charAt(si))) {
                            return false;
                        }
                        pi = close + 1;
                        si++;
                    }
                    case '\\' -> {
                        if (pi + 1 >= p.length() || si >= s.length() || p.charAt(pi + 1) != s.charAt(si)) {
                            return false;
                        }
                        pi += 2;
                        si++;
                    }
                    default -> {
                        if (si >= s.length() || s.charAt(si) != c) {
                            return false;
                        }
                        pi++;
                        si++;
                    }
                }
            }
            return si == s.length();
        }

        private static boolean inClass(String cls, char c) {
            boolean negated = cls.startsWith("^");
            String body = negated ? cls.substring(1) : cls;
            boolean in = false;
            for (int i = 0; i < body.length(); i++) {
                char lo = body.charAt(i);
                if (i + 2 < body.length() && body.charAt(i + 1) == '-') {
                    in |= c >= lo && c <= body.charAt(i + 2);
                    i += 2;
                } else {
                    in |= c == lo;
                }
            }
            return in != negated;
        }
    }
}
