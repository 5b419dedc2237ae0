package io.hartree.api.conformance;

import io.hartree.api.Backend;

/** The Convolution conformance suite on the pure-Java {@link ReferenceBackend}. */
class ReferenceConvolutionTest extends ConvolutionConformance {
    @Override protected Backend backend() { return new ReferenceBackend(); }
}
