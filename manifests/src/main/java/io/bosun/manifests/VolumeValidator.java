package io.bosun.manifests;

import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a pod's volumes. Bosun provides emptyDir, hostPath and downwardAPI (also as a projection); the sources that read API objects are refused as the
 * kubelet refuses them for static pods, naming the resource the way it does ("configmaps (via configmap volumes)").
 */
final class VolumeValidator {

    private static final List<String> HOST_PATH_TYPES = List.of("", "DirectoryOrCreate", "Directory",
            "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice");
    private static final List<String> MEDIA = List.of("", "Memory", "HugePages", "HugePages-<page size>");
    /** Volume sources whose data lives in API objects, with the resource each reads. */
    private static final Map<String, String> API_SOURCES = Map.of(
            "configMap", "configmaps",
            "secret", "secrets",
            "azureFile", "secrets (via azureFile volumes)",
            "persistentVolumeClaim", "persistentvolumeclaims",
            "ephemeral", "persistentvolumeclaims (via ephemeral volumes)",
            "csi", "csidrivers",
            "glusterfs", "endpoints (via glusterfs volumes)");

    private static final List<String> DOWNWARD_FIELDS = List.of("metadata.name", "metadata.namespace",
            "metadata.uid", "metadata.labels", "metadata.annotations");
    private static final Pattern SUBSCRIPTED_FIELD = Pattern.compile("metadata\\.(labels|annotations)\\['.+'\\]");
    private static final List<String> RESOURCES = List.of("limits.cpu", "limits.memory", "limits.ephemeral-storage",
            "requests.cpu", "requests.memory", "requests.ephemeral-storage");

    private final Problems problems;

    VolumeValidator(Problems problems) {
        this.problems = problems;
    }

    /** @return the names of the pod's volumes, which volume mounts must use */
    Set<String> validate(List<Volume> volumes, FieldPath path) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < volumes.size(); i++) {
            Volume volume = volumes.get(i);
            FieldPath volumePath = path.index(i);
            String name = volume.getName();
            if (name == null || name.isEmpty()) {
                problems.required(volumePath.field("name"));
            } else if (!Names.isDnsLabel(name)) {
                problems.invalid(volumePath.field("name"), name, Names.LABEL_RULE);
            } else if (!names.add(name)) {
                problems.add(volumePath.field("name"), "duplicate volume name " + Problems.quote(name));
            }
            source(volume, volumePath);
        }
        return names;
    }

    private void source(Volume volume, FieldPath path) {
        List<String> sources = VolumeSources.present(volume);
        if (sources.isEmpty()) {
            problems.add(path, "must specify a volume source: emptyDir or hostPath");
        } else if (sources.size() > 1) {
            problems.add(path, "must specify exactly one volume source, found " + String.join(", ", sources));
        }
        for (String source : sources) {
            FieldPath sourcePath = path.field(source);
            switch (source) {
                case "emptyDir" -> emptyDir(volume.getEmptyDir(), sourcePath);
                case "hostPath" -> hostPath(volume.getHostPath(), sourcePath);
                case "projected" -> projected(volume.getProjected(), sourcePath);
                case "downwardAPI" -> downwardApi(volume.getDownwardAPI().getItems(), sourcePath.field("items"));
                default -> {
                    String resource = API_SOURCES.get(source);
                    if (resource != null) {
                        problems.apiObject(sourcePath, resource);
                    } else {
                        problems.add(sourcePath, "the " + source + " volume source is not supported by Bosun; use"
                                + " emptyDir or hostPath");
                    }
                }
            }
        }
    }

    private void emptyDir(EmptyDirVolumeSource emptyDir, FieldPath path) {
        String medium = emptyDir.getMedium();
        if (medium != null && !medium.isEmpty() && !medium.equals("Memory") && !medium.equals("HugePages")
                && !(medium.startsWith("HugePages-")
                        && Quantities.amount(medium.substring("HugePages-".length())).isPresent())) {
            problems.unsupported(path.field("medium"), medium, MEDIA);
        }
        if (emptyDir.getSizeLimit() != null) {
            Optional<BigDecimal> size = Quantities.amount(emptyDir.getSizeLimit());
            String text = Quantities.text(emptyDir.getSizeLimit());
            if (size.isEmpty()) {
                problems.invalid(path.field("sizeLimit"), text, Quantities.RULE);
            } else if (size.get().signum() < 0) {
                problems.invalid(path.field("sizeLimit"), text, "must not be negative");
            }
        }
    }

    private void hostPath(HostPathVolumeSource hostPath, FieldPath path) {
        String hostDir = hostPath.getPath();
        if (hostDir == null || hostDir.isEmpty()) {
            problems.required(path.field("path"));
        } else if (Names.hasNul(hostDir)) {
            problems.add(path.field("path"), Names.NUL_RULE);
        } else if (!hostDir.startsWith("/")) {
            problems.invalid(path.field("path"), hostDir, "must be an absolute path");
        } else if (Names.hasBackstep(hostDir)) {
            problems.invalid(path.field("path"), hostDir, "must not contain '..'");
        }
        PodValidator.oneOf(hostPath.getType(), HOST_PATH_TYPES, path.field("type"), problems);
    }

    private void projected(ProjectedVolumeSource projected, FieldPath path) {
        List<VolumeProjection> sources = projected.getSources();
        for (int i = 0; i < sources.size(); i++) {
            VolumeProjection projection = sources.get(i);
            FieldPath sourcePath = path.field("sources").index(i);
            if (projection.getConfigMap() != null) {
                problems.apiObject(sourcePath.field("configMap"), "configmaps (via projected volumes)");
            }
            if (projection.getSecret() != null) {
                problems.apiObject(sourcePath.field("secret"), "secrets (via projected volumes)");
            }
            if (projection.getServiceAccountToken() != null) {
                problems.apiObject(sourcePath.field("serviceAccountToken"), "serviceaccounts (via projected volumes)");
            }
            if (projection.getClusterTrustBundle() != null) {
                problems.apiObject(sourcePath.field("clusterTrustBundle"), "clustertrustbundles");
            }
            if (projection.getDownwardAPI() != null) {
                downwardApi(projection.getDownwardAPI().getItems(), sourcePath.field("downwardAPI").field("items"));
            }
        }
        if (sources.isEmpty()) {
            problems.add(path, "the projected volume source is not supported by Bosun; use emptyDir or hostPath");
        }
    }

    /** The pod's own fields and its containers' resources, which a static pod may show in files too. */
    private void downwardApi(List<DownwardAPIVolumeFile> items, FieldPath path) {
        for (int i = 0; i < items.size(); i++) {
            DownwardAPIVolumeFile item = items.get(i);
            FieldPath itemPath = path.index(i);
            String file = item.getPath();
            if (file == null || file.isEmpty()) {
                problems.required(itemPath.field("path"));
            } else if (file.startsWith("/") || Names.hasNul(file)
                    || List.of(file.split("/")).contains("..") || file.startsWith("..")) {
                problems.invalid(itemPath.field("path"), file, "must be a relative path not containing or starting"
                        + " with '..'");
            }
            if (item.getMode() != null && (item.getMode() < 0 || item.getMode() > 0777)) {
                problems.invalid(itemPath.field("mode"), item.getMode(), "must be a number between 0 and 0777");
            }
            if (item.getFieldRef() != null && item.getResourceFieldRef() != null) {
                problems.add(itemPath, "fieldRef and resourceFieldRef can not be specified simultaneously");
            } else if (item.getFieldRef() != null) {
                String field = item.getFieldRef().getFieldPath();
                if (field == null || field.isEmpty()) {
                    problems.required(itemPath.field("fieldRef").field("fieldPath"));
                } else if (!DOWNWARD_FIELDS.contains(field) && !SUBSCRIPTED_FIELD.matcher(field).matches()) {
                    problems.unsupported(itemPath.field("fieldRef").field("fieldPath"), field, DOWNWARD_FIELDS);
                }
            } else if (item.getResourceFieldRef() != null) {
                var ref = item.getResourceFieldRef();
                if (ref.getContainerName() == null || ref.getContainerName().isEmpty()) {
                    problems.required(itemPath.field("resourceFieldRef").field("containerName"));
                }
                String resource = ref.getResource();
                if (resource == null || resource.isEmpty()) {
                    problems.required(itemPath.field("resourceFieldRef").field("resource"));
                } else if (!RESOURCES.contains(resource) && !resource.matches("(limits|requests)\\.hugepages-.+")) {
                    problems.unsupported(itemPath.field("resourceFieldRef").field("resource"), resource, RESOURCES);
                }
            } else {
                problems.add(itemPath, "must specify one of fieldRef or resourceFieldRef");
            }
        }
    }
}
