package dev.jot.server.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jot.server.config.FilePermissions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MasterKeyTest {
    @TempDir
    Path dir;

    @Test
    void theKeyFileIsCreatedReadableByItsOwnerOnly() throws Exception {
        MasterKey.load(null, dir);
        assertThat(Files.getPosixFilePermissions(dir.resolve(MasterKey.FILE_NAME)))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rw-r--r--", "r-----r--", "r--r-----", "rw----rw-"})
    void aKeyFileOtherUsersCanReadIsRefusedNamingItsPermissions(String perms) throws Exception {
        SecretKey created = MasterKey.load(null, dir);
        Path file = dir.resolve(MasterKey.FILE_NAME);
        assertThat(FilePermissions.exposure(file)).isEmpty();

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
        assertThatThrownBy(() -> MasterKey.load(null, dir)).hasMessageContaining(perms).hasMessageContaining("chmod 400");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertThat(MasterKey.load(null, dir).getEncoded()).isEqualTo(created.getEncoded());
    }

    /** Instances sharing a data directory (PostgreSQL setups) start together: all must end with one key. */
    @Test
    void instancesCreatingTheKeyFileAtOnceAllLoadTheSameKey() throws Exception {
        int threads = 8;
        for (int round = 0; round < 40; round++) {
            Path data = Files.createDirectory(dir.resolve("round-" + round));
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Callable<SecretKey>> calls = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                calls.add(() -> {
                    start.await();
                    return MasterKey.load(null, data);
                });
            }
            List<byte[]> keys = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                for (Future<SecretKey> f : pool.invokeAll(calls)) {
                    keys.add(f.get().getEncoded()); // throws if a load failed
                }
            }
            for (byte[] k : keys) {
                assertThat(k).as("round %d", round).isEqualTo(keys.get(0));
            }
        }
    }
}
