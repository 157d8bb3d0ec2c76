package io.bosun.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.exception.UnauthorizedException;
import io.bosun.runtime.RuntimeError;
import io.bosun.runtime.RuntimeError.Code;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** Docker's failures carry the codes the CRI would give, so the shared sync code branches the same. */
class DockerErrorsTest {

    private static RuntimeError failed(RuntimeException e) {
        return DockerErrors.translate("StopContainer", e);
    }

    @Test
    void httpStatusesBecomeTheCrisCodes() {
        assertThat(failed(new NotFoundException("gone")).code()).isEqualTo(Code.NOT_FOUND);
        assertThat(failed(new ConflictException("name in use")).code()).isEqualTo(Code.ALREADY_EXISTS);
        assertThat(failed(new BadRequestException("bad")).code()).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(failed(new UnauthorizedException("no")).code()).isEqualTo(Code.UNAUTHENTICATED);
        assertThat(failed(new NotModifiedException("already")).code()).isEqualTo(Code.FAILED_PRECONDITION);
        assertThat(failed(new InternalServerErrorException("boom")).code()).isEqualTo(Code.UNKNOWN);
    }

    @Test
    void aDockerThatDoesNotAnswerIsUnavailable() {
        assertThat(failed(new UncheckedIOException(new ConnectException("No such file or directory"))).code())
                .isEqualTo(Code.UNAVAILABLE);
        assertThat(failed(new RuntimeException(new IOException("Connection refused"))).code())
                .isEqualTo(Code.UNAVAILABLE);
    }

    @Test
    void aDockerThatAnswersTooLateIsADeadlineExceeded() {
        assertThat(failed(new UncheckedIOException(new java.net.SocketTimeoutException("Read timed out"))).code())
                .isEqualTo(Code.DEADLINE_EXCEEDED);
    }

    @Test
    void anythingElseIsUnknown() {
        assertThat(failed(new DockerClientException("cannot read the response")).code()).isEqualTo(Code.UNKNOWN);
        assertThat(failed(new IllegalStateException()).code()).isEqualTo(Code.UNKNOWN);
    }

    @Test
    void theMessageNamesTheOperationAndKeepsWhatTheEngineSaid() {
        RuntimeError e = failed(new NotFoundException("{\"message\":\"No such container: 4f2a\"}\n"));

        assertThat(e.getMessage()).isEqualTo("StopContainer: No such container: 4f2a (HTTP 404)");
        assertThat(failed(new IllegalStateException()).getMessage()).isEqualTo("StopContainer: IllegalStateException");
        assertThat(failed(new DockerClientException(" closed ")).getMessage()).isEqualTo("StopContainer: closed");
    }

    @Test
    void callTranslatesTheFailureAndPassesRuntimeErrorsThrough() {
        assertThat(DockerErrors.call("Version", () -> "20.10.24")).isEqualTo("20.10.24");
        assertThatThrownBy(() -> DockerErrors.call("InspectContainer", () -> {
            throw new NotFoundException("gone");
        })).isInstanceOfSatisfying(RuntimeError.class, e -> assertThat(e.code()).isEqualTo(Code.NOT_FOUND));
        RuntimeError own = new RuntimeError("CreateContainer", Code.INVALID_ARGUMENT, "no image");
        assertThatThrownBy(() -> DockerErrors.run("CreateContainer", () -> {
            throw own;
        })).isSameAs(own);
    }
}
