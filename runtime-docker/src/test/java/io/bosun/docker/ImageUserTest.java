package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageUserTest {

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
        "null,           null, ''",
        "'',             null, ''",
        "0,              0,    ''",
        "1000,           1000, ''",
        "1000:1000,      1000, ''",
        "65534:nogroup,  65534, ''",
        "nobody,         null, nobody",
        "nobody:nogroup, null, nobody",
        "':1000',        null, ''",
    })
    void aNumericUserIsTheUidAnyOtherTheUsername(String configUser, Long uid, String username) {
        assertThat(ImageUser.parse(configUser)).isEqualTo(new ImageUser(uid, username));
    }
}
