package io.hartree.cli.fields;

import io.hartree.api.model.Grid3D;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/** Test helper for the CLI's tests in another package: {@link FieldsFileTest#assertSnapshot}. */
public final class FieldsFileAccess {
    private FieldsFileAccess() {}

    /** Asserts that snapshot {@code index} of {@code file} holds {@code psi} (engine order) bit for bit. */
    public static void assertSnapshot(Path file, int index, Grid3D g, MemorySegment psi) {
        FieldsFileTest.assertSnapshot(file, index, g, psi);
    }
}
