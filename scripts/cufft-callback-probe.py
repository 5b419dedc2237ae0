#!/usr/bin/env python3
"""Probe cuFFT LTO callbacks on a CUDA machine, without Java (diagnostic for CudaHartreePropagator's
fused step): compiles engine-gpu's hartree_callbacks.cu to LTO IR with NVRTC (ctypes) and makes 128^3
plans with and without each callback; prints the cufft status codes of each call (0 = success).
Usage: [CUFFT=/path/libcufft.so.12] python3 scripts/cufft-callback-probe.py \
           engine-gpu/src/main/resources/io/hartree/gpu/callbacks/hartree_callbacks.cu
Needs CuPy (for the CUDA context), libnvrtc.so.13 and libcufft.so.12 (CUDA 13)."""
import ctypes, sys
import os
cf = ctypes.CDLL(os.environ.get('CUFFT', 'libcufft.so.12'))
import cupy  # creates the CUDA context cuFFT needs
cupy.zeros(1)
nv = ctypes.CDLL('libnvrtc.so.13')
v = ctypes.c_int(); cf.cufftGetVersion(ctypes.byref(v)); print('cufft', os.environ.get('CUFFT'), v.value)
src = open(sys.argv[1], 'rb').read()
prog = ctypes.c_void_p(); nv.nvrtcCreateProgram(ctypes.byref(prog), src, b'cb.cu', 0, None, None)
opts = [b'--gpu-architecture=compute_90', b'--relocatable-device-code=true', b'-dlto', b'--std=c++17']
print('compile', nv.nvrtcCompileProgram(prog, len(opts), (ctypes.c_char_p * 4)(*opts)))
sz = ctypes.c_size_t(); nv.nvrtcGetLTOIRSize(prog, ctypes.byref(sz)); lto = ctypes.create_string_buffer(sz.value); nv.nvrtcGetLTOIR(prog, lto)
print('ltoir bytes', sz.value)
info = cupy.zeros(16, dtype=cupy.float64); ip = ctypes.c_void_p(info.data.ptr)
cf.cufftXtSetJITCallback.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p)]
def make(kind, n, cbs, many=True):
    h = ctypes.c_int(); r = [cf.cufftCreate(ctypes.byref(h))]
    for name, t in cbs: r.append(cf.cufftXtSetJITCallback(h.value, name, lto, sz.value, t, ctypes.byref(ip)))
    ws = ctypes.c_size_t()
    if many:
        dims = (ctypes.c_int * 3)(n, n, n)
        r.append(cf.cufftMakePlanMany(h.value, 3, dims, None, 1, 0, None, 1, 0, kind, 1, ctypes.byref(ws)))
    else:
        r.append(cf.cufftMakePlan3d(h.value, n, n, n, kind, ctypes.byref(ws)))
    cf.cufftDestroy(h.value)
    return r
for n in (128,):
    print(n, 'Z2Z plain many', make(0x69, n, []))
    print(n, 'Z2Z kick many', make(0x69, n, [(b'hartree_cb_kick', 1)]))
    print(n, 'Z2Z kick 3d', make(0x69, n, [(b'hartree_cb_kick', 1)], many=False))
    print(n, 'Z2Z density 3d', make(0x69, n, [(b'hartree_cb_density', 5)], many=False))
    print(n, 'Z2Z kick+density 3d', make(0x69, n, [(b'hartree_cb_kick', 1), (b'hartree_cb_density', 5)], many=False))
    print(n, 'Z2Z kick+density many', make(0x69, n, [(b'hartree_cb_kick', 1), (b'hartree_cb_density', 5)]))
    print(n, 'Z2Z phase many', make(0x69, n, [(b'hartree_cb_phase', 1)]))
    print(n, 'D2Z table many', make(0x6a, n, [(b'hartree_cb_table', 5)]))
    print(n, 'D2Z table 3d', make(0x6a, n, [(b'hartree_cb_table', 5)], many=False))
    print(n, 'Z2Z phase 3d', make(0x69, n, [(b'hartree_cb_phase', 1)], many=False))
