package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.model.Image;
import io.bosun.runtime.ImageSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** From the JSON Docker 20.10 answers, as docker-java reads it. */
class DockerImageSummariesTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String ID = "sha256:7b42fdbb7d422c1e99587fc84d77df6606f723f5800d4ec57d7425a89ec98520";
    private static final String DIGEST =
            "127.0.0.1:5000/busybox@sha256:81890901d8d112350c5011d7514168488f12922ec72df589f9c74b2bca2b9629";

    @Test
    void anInspectedImageSaysWhoItRunsAs() throws Exception {
        ImageSummary s = DockerImageSummaries.of(inspected("1000:1000"));

        assertThat(s.id()).isEqualTo(ID);
        assertThat(s.repoTags()).containsExactly("127.0.0.1:5000/busybox:1.36");
        assertThat(s.repoDigests()).containsExactly(DIGEST);
        assertThat(s.sizeBytes()).isEqualTo(1984251);
        assertThat(s.uid()).isEqualTo(1000L);
        assertThat(s.username()).isEmpty();
        assertThat(s.pinned()).isFalse();
    }

    @Test
    void anImageThatNamesNoUserHasNeitherUidNorUsername() throws Exception {
        ImageSummary s = DockerImageSummaries.of(inspected(""));

        assertThat(s.uid()).isNull();
        assertThat(s.username()).isEmpty();
    }

    @Test
    void aListedImageDoesNotKnowItsUser() throws Exception {
        ImageSummary s = DockerImageSummaries.of(listed(ID, 1984251, "[\"127.0.0.1:5000/busybox:1.36\"]",
                "[\"" + DIGEST + "\"]"));

        assertThat(s.id()).isEqualTo(ID);
        assertThat(s.repoTags()).containsExactly("127.0.0.1:5000/busybox:1.36");
        assertThat(s.repoDigests()).containsExactly(DIGEST);
        assertThat(s.sizeBytes()).isEqualTo(1984251);
        assertThat(s.uid()).isNull();
        assertThat(s.username()).isNull();
    }

    @Test
    void dockersPlaceholdersForNoTagAndNoDigestAreNotNames() throws Exception {
        ImageSummary dangling = DockerImageSummaries.of(listed("sha256:d", 5, "[\"<none>:<none>\"]",
                "[\"<none>@<none>\"]"));
        ImageSummary bare = DockerImageSummaries.of(listed("sha256:e", 5, "null", "null"));

        assertThat(dangling.repoTags()).isEmpty();
        assertThat(dangling.repoDigests()).isEmpty();
        assertThat(bare.repoTags()).isEmpty();
        assertThat(bare.repoDigests()).isEmpty();
    }

    @Test
    void theImagesUseTheirSizesOnce() throws Exception {
        assertThat(DockerImageSummaries.usedBytes(List.of())).isZero();
        assertThat(DockerImageSummaries.usedBytes(List.of(listed("sha256:a", 100, "[]", "[]"),
                listed("sha256:b", 20, "[]", "[]"), listed("sha256:a", 100, "[]", "[]"),
                listed("sha256:c", -1, "[]", "[]")))).isEqualTo(120);
    }

    private static InspectImageResponse inspected(String user) throws Exception {
        return JSON.readValue("""
                {"Id":"%s","RepoTags":["127.0.0.1:5000/busybox:1.36"],"RepoDigests":["%s"],
                 "Config":{"User":"%s","Env":["PATH=/bin"],"Cmd":["sh"],"WorkingDir":"/"},
                 "Architecture":"amd64","Os":"linux","Size":1984251,"VirtualSize":1984251}
                """.formatted(ID, DIGEST, user), InspectImageResponse.class);
    }

    private static Image listed(String id, long size, String tags, String digests) throws Exception {
        return JSON.readValue("""
                {"Containers":-1,"Created":1796285309,"Id":"%s","Labels":null,"ParentId":"",
                 "RepoDigests":%s,"RepoTags":%s,"SharedSize":-1,"Size":%d,"VirtualSize":%d}
                """.formatted(id, digests, tags, size, size), Image.class);
    }
}
