package io.bosun.bench;

import java.nio.file.Path;

/**
 * {@code scripts/bench footprint [runs] [--quick] [--bosun <launcher>]}: two runs of every phase by default;
 * {@code --quick} is the subset for tuning iterations (one run unless runs are given, no 60 s CPU windows, no
 * 100-pod phases); {@code --bosun} measures another launcher (the baseline's, say) instead of this tree's bin/bosun.
 */
record FootprintOptions(int runs, boolean quick, Path launcher) {

    static final String USAGE = "usage: footprint [runs] [--quick] [--bosun <launcher>]";

    static FootprintOptions parse(String... args) {
        Integer runs = null;
        boolean quick = false;
        Path launcher = Path.of("bin/bosun");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--bosun" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException(USAGE);
                    }
                    launcher = Path.of(args[++i]);
                }
                default -> {
                    try {
                        runs = Integer.parseInt(args[i]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(USAGE);
                    }
                    if (runs < 1) {
                        throw new IllegalArgumentException(USAGE);
                    }
                }
            }
        }
        return new FootprintOptions(runs != null ? runs : quick ? 1 : 2, quick, launcher.toAbsolutePath());
    }
}
