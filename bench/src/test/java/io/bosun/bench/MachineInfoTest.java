package io.bosun.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MachineInfoTest {

    @Test
    void jvmOptionsAreWhatComesBetweenJavaAndTheJar() {
        List<String> cmd = List.of("/jdk/bin/java", "-XX:+UseSerialGC", "-Xss512k", "-jar", "/x/bosun.jar", "run");

        assertThat(MachineInfo.jvmOptions(cmd)).containsExactly("-XX:+UseSerialGC", "-Xss512k");
    }
}
