package io.bosun.agent.kuberuntime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvExpanderTest {

    private final Map<String, String> env = Map.of("NAME", "web", "PORT", "8080");

    @Test
    void expandsDefinedReferences() {
        assertThat(EnvExpander.expand("--listen=$(NAME):$(PORT)", env)).isEqualTo("--listen=web:8080");
    }

    @Test
    void leavesUndefinedAndUnclosedReferencesAsWritten() {
        assertThat(EnvExpander.expand("$(MISSING) $(NAME", env)).isEqualTo("$(MISSING) $(NAME");
        assertThat(EnvExpander.expand("$HOME and $", env)).isEqualTo("$HOME and $");
    }

    @Test
    void doubleDollarEscapes() {
        assertThat(EnvExpander.expand("$$(NAME) costs $$5", env)).isEqualTo("$(NAME) costs $5");
    }
}
