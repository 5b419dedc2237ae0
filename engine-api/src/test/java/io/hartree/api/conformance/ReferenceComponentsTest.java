package io.hartree.api.conformance;

import io.hartree.api.Backend;

/** The Components conformance suite on the pure-Java {@link ReferenceBackend}. */
class ReferenceComponentsTest extends ComponentsConformance {
    @Override protected Backend backend() { return new ReferenceBackend(); }
}
