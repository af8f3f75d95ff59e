package io.dln.core.data;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The small data files under src/test/resources/data. */
final class TestFiles {

    private TestFiles() {
    }

    static Path path(String relative) {
        URL url = TestFiles.class.getResource("/data/" + relative);
        if (url == null) throw new IllegalArgumentException("no test resource data/" + relative);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
