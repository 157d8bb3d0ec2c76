package io.bosun.systemd;

import static io.bosun.systemd.FileAction.ABSENT;
import static io.bosun.systemd.FileAction.CREATE;
import static io.bosun.systemd.FileAction.KEEP;
import static io.bosun.systemd.FileAction.KEEP_EDITED;
import static io.bosun.systemd.FileAction.REMOVE;
import static io.bosun.systemd.FileAction.REPLACE;
import static io.bosun.systemd.FileAction.SET_MODE;
import static io.bosun.systemd.FileAction.UNCHANGED;
import static io.bosun.systemd.Ownership.CONFIG;
import static io.bosun.systemd.Ownership.DROP_IN;
import static io.bosun.systemd.Ownership.PROGRAM;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileActionTest {

    @Test
    void installCreatesWhatIsMissingWhoeverOwnsIt() {
        for (Ownership o : Ownership.values()) {
            assertThat(FileAction.install(o, false, false, false)).as(o.name()).isEqualTo(CREATE);
        }
    }

    @Test
    void installTouchesNothingThatIsAsItWouldWriteIt() {
        for (Ownership o : Ownership.values()) {
            assertThat(FileAction.install(o, true, true, true)).as(o.name()).isEqualTo(UNCHANGED);
        }
    }

    @Test
    void installReplacesTheProgramButKeepsEditedSettings() {
        assertThat(FileAction.install(PROGRAM, true, false, true)).isEqualTo(REPLACE);
        assertThat(FileAction.install(PROGRAM, true, false, false)).isEqualTo(REPLACE);
        assertThat(FileAction.install(DROP_IN, true, false, true)).isEqualTo(KEEP_EDITED);
        assertThat(FileAction.install(CONFIG, true, false, false)).isEqualTo(KEEP_EDITED);
    }

    @Test
    void installSetsTheProgramsModeButLeavesTheUsersOnSettings() {
        assertThat(FileAction.install(PROGRAM, true, true, false)).isEqualTo(SET_MODE);
        assertThat(FileAction.install(DROP_IN, true, true, false)).isEqualTo(UNCHANGED);
        assertThat(FileAction.install(CONFIG, true, true, false)).isEqualTo(UNCHANGED);
    }

    @Test
    void uninstallRemovesTheProgramAlways() {
        for (boolean same : new boolean[] {true, false}) {
            for (boolean purge : new boolean[] {true, false}) {
                assertThat(FileAction.uninstall(PROGRAM, true, same, purge)).isEqualTo(REMOVE);
                for (Ownership o : Ownership.values()) {
                    assertThat(FileAction.uninstall(o, false, same, purge)).isEqualTo(ABSENT);
                }
            }
        }
    }

    @Test
    void uninstallRemovesAnUnchangedDropInAndAnEditedOneOnlyWithPurge() {
        assertThat(FileAction.uninstall(DROP_IN, true, true, false)).isEqualTo(REMOVE);
        assertThat(FileAction.uninstall(DROP_IN, true, false, false)).isEqualTo(KEEP_EDITED);
        assertThat(FileAction.uninstall(DROP_IN, true, false, true)).isEqualTo(REMOVE);
    }

    @Test
    void uninstallKeepsSettingsUnlessPurged() {
        assertThat(FileAction.uninstall(CONFIG, true, true, false)).isEqualTo(KEEP);
        assertThat(FileAction.uninstall(CONFIG, true, false, false)).isEqualTo(KEEP_EDITED);
        assertThat(FileAction.uninstall(CONFIG, true, true, true)).isEqualTo(REMOVE);
        assertThat(FileAction.uninstall(CONFIG, true, false, true)).isEqualTo(REMOVE);
    }
}
