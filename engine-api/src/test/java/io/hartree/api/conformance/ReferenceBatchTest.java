package io.hartree.api.conformance;

import io.hartree.api.Backend;

/** The Batch conformance suite on the pure-Java {@link ReferenceBackend}. */
class ReferenceBatchTest extends BatchConformance {
    @Override protected Backend backend() { return new ReferenceBackend(); }
}
