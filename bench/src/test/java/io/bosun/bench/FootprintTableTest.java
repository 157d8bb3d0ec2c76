package io.bosun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FootprintTableTest {


    @Test
    void aFigureIsTheMedianWithItsRange() {
        Samples s = new Samples("start");
        s.add(3_000_000_000L);
        s.add(1_000_000_000L);
        s.add(2_500_000_000L);

        assertThat(FootprintTable.cell(s, Measure.Unit.SECONDS)).isEqualTo("2.50 s (1.00–3.00)");
    }

    @Test
    void anEvenCountTakesTheMeanOfTheMiddleTwo() {
        Samples s = new Samples("rss");
        s.addValue(160);
        s.addValue(170);

        assertThat(FootprintTable.cell(s, Measure.Unit.MIB)).isEqualTo("165 MiB (160–170)");
    }

    @Test
    void aSingleRunIsPrintedAlone() {
        Samples s = new Samples("cpu");
        s.addValue(8.44);

        assertThat(FootprintTable.cell(s, Measure.Unit.PERCENT)).isEqualTo("8.4 %");
    }

    @Test
    void rowsWithoutFiguresAreLeftOutAndTheFloorTargetIsComputed() {
        FootprintTable table = new FootprintTable();
        table.header("machine: test");
        table.of(Measure.PODS_30).add(5_500_000_000L);
        table.of(Measure.FLOOR_30).add(5_000_000_000L);
        table.of(Measure.START_WARM);
        table.note("a note");

        assertThat(table.render()).isEqualTo("""
                machine: test

                | measure | Bosun (this run) | kubelet v1.26.0 (issue 12's figure, not measured here) | target |
                | --- | --- | --- | --- |
                | 30 pods → all running | 5.50 s | 7.3 s | ≤ CRI floor + 10 % (≤ 5.50 s) |
                | CRI floor, 30 pods (CriClient, no agent) | 5.00 s | — | — |

                a note
                """);
    }
}
