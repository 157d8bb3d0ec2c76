package io.bosun.manifests;

import io.fabric8.kubernetes.api.model.Volume;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** The kinds of source a volume can name, by their field names, so a volume can be asked which it names. */
final class VolumeSources {

    private static final Map<String, Function<Volume, Object>> SOURCES = new LinkedHashMap<>();

    static {
        SOURCES.put("awsElasticBlockStore", Volume::getAwsElasticBlockStore);
        SOURCES.put("azureDisk", Volume::getAzureDisk);
        SOURCES.put("azureFile", Volume::getAzureFile);
        SOURCES.put("cephfs", Volume::getCephfs);
        SOURCES.put("cinder", Volume::getCinder);
        SOURCES.put("configMap", Volume::getConfigMap);
        SOURCES.put("csi", Volume::getCsi);
        SOURCES.put("downwardAPI", Volume::getDownwardAPI);
        SOURCES.put("emptyDir", Volume::getEmptyDir);
        SOURCES.put("ephemeral", Volume::getEphemeral);
        SOURCES.put("fc", Volume::getFc);
        SOURCES.put("flexVolume", Volume::getFlexVolume);
        SOURCES.put("flocker", Volume::getFlocker);
        SOURCES.put("gcePersistentDisk", Volume::getGcePersistentDisk);
        SOURCES.put("gitRepo", Volume::getGitRepo);
        SOURCES.put("glusterfs", Volume::getGlusterfs);
        SOURCES.put("hostPath", Volume::getHostPath);
        SOURCES.put("image", Volume::getImage);
        SOURCES.put("iscsi", Volume::getIscsi);
        SOURCES.put("nfs", Volume::getNfs);
        SOURCES.put("persistentVolumeClaim", Volume::getPersistentVolumeClaim);
        SOURCES.put("photonPersistentDisk", Volume::getPhotonPersistentDisk);
        SOURCES.put("portworxVolume", Volume::getPortworxVolume);
        SOURCES.put("projected", Volume::getProjected);
        SOURCES.put("quobyte", Volume::getQuobyte);
        SOURCES.put("rbd", Volume::getRbd);
        SOURCES.put("scaleIO", Volume::getScaleIO);
        SOURCES.put("secret", Volume::getSecret);
        SOURCES.put("storageos", Volume::getStorageos);
        SOURCES.put("vsphereVolume", Volume::getVsphereVolume);
    }

    private VolumeSources() {
    }

    /** The field names of the sources {@code volume} names, in a fixed order. */
    static List<String> present(Volume volume) {
        return SOURCES.entrySet().stream()
                .filter(source -> Objects.nonNull(source.getValue().apply(volume)))
                .map(Map.Entry::getKey)
                .toList();
    }
}
