package dev.tcpautopsy.serve;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The index contract on the embedded H2 file, the default store. */
class H2IndexTest extends IndexContract {
    @TempDir
    Path data;

    @Override
    ServeSettings settings() {
        return ServeSettings.defaults(data);
    }
}
