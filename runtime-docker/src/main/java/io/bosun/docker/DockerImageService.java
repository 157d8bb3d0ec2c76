package io.bosun.docker;

import com.github.dockerjava.api.DockerClient;
import io.bosun.runtime.RuntimeError;

/** Images through Docker (being written for issue 14). */
final class DockerImageService implements io.bosun.runtime.ImageService {

    DockerImageService(DockerClient calls, DockerClient streams) {
    }


    @Override
    public String pullImage(String image, io.bosun.cri.v1.AuthConfig auth, io.bosun.cri.v1.PodSandboxConfig sandboxConfig) {
        throw unimplemented("PullImage");
    }

    @Override
    public java.util.Optional<io.bosun.runtime.ImageSummary> imageStatus(String image) {
        throw unimplemented("ImageStatus");
    }

    @Override
    public java.util.List<io.bosun.runtime.ImageSummary> listImages() {
        throw unimplemented("ListImages");
    }

    @Override
    public void removeImage(String image) {
        throw unimplemented("RemoveImage");
    }

    @Override
    public java.util.List<io.bosun.runtime.FilesystemUsage> imageFsInfo() {
        throw unimplemented("ImageFsInfo");
    }

    private static RuntimeError unimplemented(String operation) {
        return new RuntimeError(operation, RuntimeError.Code.UNIMPLEMENTED, operation + " is not written yet");
    }
}
