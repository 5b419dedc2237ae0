package io.hartree.api.conformance;

import io.hartree.api.Backend;

/** The Transform conformance suite on the pure-Java {@link ReferenceBackend}. */
class ReferenceTransformTest extends TransformConformance {
    @Override protected Backend backend() { return new ReferenceBackend(); }
}
