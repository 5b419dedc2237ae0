package io.hartree.api.conformance;

import io.hartree.api.Backend;

/** The rotating-frame conformance suite on the pure-Java {@link ReferenceBackend}. */
class ReferenceRotationTest extends RotationConformance {
    @Override protected Backend backend() { return new ReferenceBackend(); }

    @Override protected boolean longRuns() { return false; }
}
