package io.hartree.api.conformance;

import io.hartree.api.Backend;

/** The Drive conformance suite on the reference backend. */
class ReferenceDriveTest extends DriveConformance {
    @Override protected Backend backend() { return new ReferenceBackend(); }
}
