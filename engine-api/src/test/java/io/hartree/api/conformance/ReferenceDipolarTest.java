package io.hartree.api.conformance;

import io.hartree.api.Backend;

/** The Dipolar conformance suite on the pure-Java {@link ReferenceBackend}. */
class ReferenceDipolarTest extends DipolarConformance {
    @Override protected Backend backend() { return new ReferenceBackend(); }
}
