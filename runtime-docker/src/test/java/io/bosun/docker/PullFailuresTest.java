package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.UnauthorizedException;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeError.Code;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** The Engine's answers are those Docker 20.10 gives, as docker-java reports them. */
class PullFailuresTest {

    private static final String IMAGE = "127.0.0.1:5001/private/busybox:1.36";
    private static final ImageReference REF = ImageReference.parse(IMAGE);

    @Test
    void aMissingImageIsNotFoundInTheEnginesWords() {
        RuntimeError e = PullFailures.refused("busybox:nope", ImageReference.parse("busybox:nope"),
                new NotFoundException("{\"message\":\"manifest for busybox:nope not found: manifest unknown: "
                        + "manifest unknown\"}\n"));

        assertThat(e.code()).isEqualTo(Code.NOT_FOUND);
        assertThat(e.operation()).isEqualTo("PullImage busybox:nope");
        assertThat(e).hasMessage("PullImage busybox:nope: failed to pull image \"docker.io/library/busybox:nope\": "
                + "manifest for busybox:nope not found: manifest unknown: manifest unknown");
    }

    @Test
    void missingCredentialsSaySoAsTheRegistryDid() {
        RuntimeError e = PullFailures.refused(IMAGE, REF, new InternalServerErrorException(
                "{\"message\":\"Head \\\"http://127.0.0.1:5001/v2/private/busybox/manifests/1.36\\\": "
                        + "no basic auth credentials\"}\n"));

        assertThat(e.code()).isEqualTo(Code.UNKNOWN);
        assertThat(e).hasMessage("PullImage " + IMAGE + ": failed to pull image \"" + IMAGE + "\": Head "
                + "\"http://127.0.0.1:5001/v2/private/busybox/manifests/1.36\": no basic auth credentials");
    }

    @Test
    void refusedCredentialsAreUnknownAsContainerdsRegistry401NoMatterTheEnginesStatus() {
        RuntimeError wrapped = PullFailures.refused(IMAGE, REF, new InternalServerErrorException(
                "{\"message\":\"unauthorized: authentication required\"}\n"));
        RuntimeError passedOn = PullFailures.refused(IMAGE, REF, new UnauthorizedException(
                "{\"message\":\"unauthorized: authentication required\"}\n"));

        assertThat(wrapped.code()).isEqualTo(Code.UNKNOWN);
        assertThat(passedOn.code()).isEqualTo(Code.UNKNOWN);
        assertThat(wrapped).hasMessage(passedOn.getMessage()).hasMessageEndingWith(
                ": failed to pull image \"" + IMAGE + "\": unauthorized: authentication required");
    }

    @Test
    void anInvalidReferenceIsAnInvalidArgument() {
        RuntimeError e = PullFailures.refused("Busybox", ImageReference.parse("Busybox"), new BadRequestException(
                "{\"message\":\"invalid reference format: repository name must be lowercase\"}\n"));

        assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(e).hasMessageEndingWith("invalid reference format: repository name must be lowercase");
    }

    @Test
    void anEngineThatIsGoneIsUnavailable() {
        RuntimeError e = PullFailures.refused(IMAGE, REF,
                new UncheckedIOException(new IOException("Connection refused")));

        assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
    }

    @Test
    void aPullThatFailsOnTheWayIsUnknown() {
        RuntimeError e = PullFailures.failed(IMAGE, REF, "unexpected EOF");

        assertThat(e.code()).isEqualTo(Code.UNKNOWN);
        assertThat(e).hasMessage("PullImage " + IMAGE + ": failed to pull image \"" + IMAGE + "\": unexpected EOF");
    }

    @Test
    void aPullThatTakesTooLongOrIsInterruptedSaysSo() {
        assertThat(PullFailures.timedOut(IMAGE, REF, DockerImageService.PULL_TIMEOUT))
                .hasMessageEndingWith("not done after 30 minutes")
                .extracting(RuntimeError::code).isEqualTo(Code.DEADLINE_EXCEEDED);
        assertThat(PullFailures.interrupted(IMAGE, REF).code()).isEqualTo(Code.CANCELLED);
    }
}
