// Matrix-free Fock-space Hamiltonian on the device (engine-gpu):
//   H = sum h_ij a_i^+ a_j + (1/(2N)) sum V_ijkl a_i^+ a_j^+ a_l a_k
// applied to an interleaved complex vector on a fixed-N sector (or a product of such sectors:
// N_up, N_down for modes (x) spin), with the canonical terms of engine-api's FockHamiltonian:
// diagonal parts (h_ii, A_pq n_p n_q, B_p n_p(n_p - 1)), off-diagonal one-body terms c a_to^+ a_from
// and two-body terms c a_p^+ a_q^+ a_r a_s. Row r of H is the conjugate of the column H|n_r>
// (H is Hermitian), so each output row is gathered by one thread from its own occupation vector:
// no atomics, no stored matrix.
//
// Ranking: engine-api's FockBasis (combinatorial number system). Within a component of m modes
// with N bosons and partial sums s_k = n_0 + ... + n_k,
//   rank = sum_{k=0}^{m-2} C(s_k + k, k + 1),
// and a product of components has rank = sum_c rank_c * stride_c (SpinSector: r_up*dim_down + r_down).
// A hop adds delta in {-2..2} to s_k on at most four intervals of k, so with the per-row prefix
// sums P^d_j = sum_{k<j} [C(s_k+k+d, k+1) - C(s_k+k, k+1)] each hop's source rank is O(1).
// Ranks are 64-bit and accumulated in unsigned arithmetic (wrap-around like Java's long, so the
// differences of prefix sums are exact mod 2^64); the row loop is grid-stride over 64-bit rows.
//
// The core (fock_row) is __host__ __device__ and compiles with g++ (-DFOCK_HOST_ENTRY gives a C
// entry point over a row range): engine-gpu's tests run it on the host against the CPU
// Hamiltonian, row by row, and the fake libcuda executes launches of fock_hop_c128 with it.
// No #include under NVRTC (no system headers); sqrt is built in.

#ifdef __CUDACC__
#define FOCK_HD __host__ __device__ __forceinline__
#else
#include <cmath>
#define FOCK_HD inline
#endif

typedef unsigned long long fock_u64;

// Most modes (all components together) a row may have: the per-thread occupation and prefix
// tables are 6 * FOCK_MAXM words in local memory. The host refuses larger M.
#define FOCK_MAXM 64
// Components of a product sector (total N: 1; N_up, N_down: 2).
#define FOCK_MAXC 2

struct FockTerms {
    const long long* binom;  // C(a, b) at binom[a * bcols + b], saturated like FockBasis
    int brows, bcols;
    int ncomp;
    const long long* comp;   // per component: first mode, modes, particles, stride, dimension
    int m;                   // modes, all components
    const double* diag;      // h_ii (m)
    const double* self;      // B_p (m): coefficient of n_p(n_p - 1)
    int npair;
    const int* pair;         // (p, q) pairs of A_pq n_p n_q
    const double* pairA;
    int none;
    const int* one;          // (to, from) of c a_to^+ a_from
    const double* oneC;      // c interleaved
    int ntwo;
    const int* two;          // (p, q, r, s) of c a_p^+ a_q^+ a_r a_s
    const double* twoC;      // c interleaved
};

FOCK_HD long long fock_binom(const FockTerms& T, int a, int b) {
    return (a < 0 || a >= T.brows || b > a) ? 0 : T.binom[a * T.bcols + b];
}

FOCK_HD void fock_load(const double* x, fock_u64 i, double* re, double* im) {
#ifdef __CUDA_ARCH__
    const double2 v = reinterpret_cast<const double2*>(x)[i];
    *re = v.x; *im = v.y;
#else
    *re = x[2 * i]; *im = x[2 * i + 1];
#endif
}

// occupations of component c's rank r into occ[first .. first+modes): FockBasis.unrank with a
// binary search per bar (O(M log(N+M)) instead of the O(N+M) scan, which matters for two modes
// and N = 1e5).
FOCK_HD void fock_unrank(const FockTerms& T, int first, int modes, int n, fock_u64 r, int* occ) {
    if (modes == 1) { occ[first] = n; return; }
    int hi = n + modes - 2;
    int prevS = n;
    for (int k = modes - 2; k >= 0; k--) {
        // largest b in [k, hi] with C(b, k+1) <= r (C(k, k+1) = 0 <= r always holds).
        int lo = k, up = hi;
        while (lo < up) {
            int mid = (lo + up + 1) >> 1;
            if ((fock_u64) fock_binom(T, mid, k + 1) <= r) lo = mid; else up = mid - 1;
        }
        r -= (fock_u64) fock_binom(T, lo, k + 1);
        int s = lo - k;
        occ[first + k + 1] = prevS - s;
        prevS = s;
        hi = lo - 1;
    }
    occ[first] = prevS;
}

// Rank change of the hop that applies the (mode, +-1) changes to the current row; the walk is
// FockBasis.hop2's, over the changes sorted by mode (insertion sort, <= 4 entries). Returns false
// when a component's population would change (the target leaves the sector).
FOCK_HD bool fock_hop(const FockTerms& T, const fock_u64 (*pre)[FOCK_MAXM], const unsigned char* compOf, int count,
                      int* pm, int* pd, fock_u64* delta) {
    for (int a = 1; a < count; a++) {
        int x = pm[a], y = pd[a], b = a - 1;
        while (b >= 0 && pm[b] > x) { pm[b + 1] = pm[b]; pd[b + 1] = pd[b]; b--; }
        pm[b + 1] = x; pd[b + 1] = y;
    }
    fock_u64 r = 0;
    int d = 0, start = 0;
    for (int a = 0; a < count; a++) {
        if (d != 0) {
            if (compOf[pm[a]] != compOf[start]) return false;
            const long long* c = T.comp + 5 * compOf[start];
            r += (pre[d + 2][pm[a]] - pre[d + 2][start]) * (fock_u64) c[3];
        }
        d += pd[a];
        start = pm[a];
    }
    if (d != 0) return false;
    *delta = r;
    return true;
}

// Row `row` of H: sink.diag(d) with d = <n|H|n>, then sink.add(col, a, b) for every off-diagonal
// entry H[row][col] = a + ib, in the order of FockHamiltonian's matrix-free product (one-body
// terms, then two-body terms; duplicates not merged), so host and device agree to round-off.
template <class Sink>
FOCK_HD void fock_row_entries(const FockTerms& T, fock_u64 row, Sink& sink) {
    int occ[FOCK_MAXM];
    unsigned char compOf[FOCK_MAXM];
    fock_u64 pre[5][FOCK_MAXM];
    for (int c = 0; c < T.ncomp; c++) {
        const long long* cc = T.comp + 5 * c;
        const int first = (int) cc[0], modes = (int) cc[1], n = (int) cc[2];
        const fock_u64 rc = (row / (fock_u64) cc[3]) % (fock_u64) cc[4];
        fock_unrank(T, first, modes, n, rc, occ);
        // P^d for d in {-2, -1, 1, 2} (row d + 2), local to the component: P^d at its first mode is 0.
        for (int d = 0; d < 5; d++) pre[d][first] = 0;
        int s = 0;
        for (int k = 0; k < modes; k++) {
            compOf[first + k] = (unsigned char) c;
            if (k == modes - 1) break;
            s += occ[first + k];
            const int a = s + k;
            const fock_u64 c0 = (fock_u64) fock_binom(T, a, k + 1);
            for (int d = -2; d <= 2; d++) {
                if (d == 0) continue;
                pre[d + 2][first + k + 1] = pre[d + 2][first + k] + ((fock_u64) fock_binom(T, a + d, k + 1) - c0);
            }
        }
    }
    double dg = 0;
    for (int i = 0; i < T.m; i++) {
        const int v = occ[i];
        if (v != 0) dg += (T.diag[i] + T.self[i] * (v - 1)) * v;
    }
    for (int t = 0; t < T.npair; t++) dg += T.pairA[t] * occ[T.pair[2 * t]] * occ[T.pair[2 * t + 1]];
    sink.diag(dg);
    int pm[4], pd[4];
    for (int t = 0; t < T.none; t++) {
        const int to = T.one[2 * t], from = T.one[2 * t + 1], nf = occ[from];
        if (nf == 0) continue;
        const double amp = sqrt((double) nf) * sqrt((double) (occ[to] + 1));
        pm[0] = to; pd[0] = 1; pm[1] = from; pd[1] = -1;
        fock_u64 dr;
        if (!fock_hop(T, pre, compOf, 2, pm, pd, &dr)) continue;
        sink.add(row + dr, T.oneC[2 * t] * amp, -T.oneC[2 * t + 1] * amp);
    }
    for (int t = 0; t < T.ntwo; t++) {
        const int p = T.two[4 * t], q = T.two[4 * t + 1], rr = T.two[4 * t + 2], s = T.two[4 * t + 3];
        const int ns = occ[s];
        if (ns == 0) continue;
        const int nr = occ[rr] - (rr == s ? 1 : 0);
        if (nr <= 0) continue;
        const int nq = occ[q] - (q == s ? 1 : 0) - (q == rr ? 1 : 0) + 1;
        const int np = occ[p] - (p == s ? 1 : 0) - (p == rr ? 1 : 0) + (p == q ? 1 : 0) + 1;
        const double amp = sqrt((double) ns) * sqrt((double) nr) * sqrt((double) nq) * sqrt((double) np);
        pm[0] = p; pd[0] = 1; pm[1] = q; pd[1] = 1; pm[2] = rr; pd[2] = -1; pm[3] = s; pd[3] = -1;
        fock_u64 dr;
        if (!fock_hop(T, pre, compOf, 4, pm, pd, &dr)) continue;
        sink.add(row + dr, T.twoC[2 * t] * amp, -T.twoC[2 * t + 1] * amp);
    }
}

// Accumulates y[row] = sum_col H[row][col] x[col] in registers.
struct FockGather {
    const double* x;
    fock_u64 row;
    double sr, si;
    FOCK_HD void diag(double d) { double xr, xi; fock_load(x, row, &xr, &xi); sr = d * xr; si = d * xi; }
    FOCK_HD void add(fock_u64 col, double a, double b) {
        double xr, xi;
        fock_load(x, col, &xr, &xi);
        sr += a * xr - b * xi;
        si += a * xi + b * xr;
    }
};

// y[row] = (H x)[row].
FOCK_HD void fock_row(const FockTerms& T, fock_u64 row, const double* x, double* y) {
    FockGather g;
    g.x = x; g.row = row; g.sr = 0; g.si = 0;
    fock_row_entries(T, row, g);
    y[2 * row] = g.sr;
    y[2 * row + 1] = g.si;
}

FOCK_HD FockTerms fock_terms(const long long* binom, int brows, int bcols, int ncomp, const long long* comp, int m,
                             const double* diag, const double* self, int npair, const int* pair, const double* pairA,
                             int none, const int* one, const double* oneC, int ntwo, const int* two, const double* twoC) {
    FockTerms T;
    T.binom = binom; T.brows = brows; T.bcols = bcols; T.ncomp = ncomp; T.comp = comp; T.m = m;
    T.diag = diag; T.self = self; T.npair = npair; T.pair = pair; T.pairA = pairA;
    T.none = none; T.one = one; T.oneC = oneC; T.ntwo = ntwo; T.two = two; T.twoC = twoC;
    return T;
}

#ifdef __CUDACC__
extern "C" {

// y = H x, one thread per output row, grid-stride over 64-bit rows (sectors beyond 2^31 states).
__global__ void __launch_bounds__(256) fock_hop_c128(const long long* binom, int brows, int bcols, int ncomp, const long long* comp, int m,
                                                     const double* diag, const double* self, int npair, const int* pair, const double* pairA,
                                                     int none, const int* one, const double* oneC, int ntwo, const int* two, const double* twoC,
                                                     const double* x, double* y, unsigned long long rows) {
    const FockTerms T = fock_terms(binom, brows, bcols, ncomp, comp, m, diag, self, npair, pair, pairA, none, one, oneC, ntwo, two, twoC);
    for (fock_u64 r = (fock_u64) blockIdx.x * blockDim.x + threadIdx.x; r < rows; r += (fock_u64) gridDim.x * blockDim.x)
        fock_row(T, r, x, y);
}

}  // extern "C"
#endif

#ifdef FOCK_HOST_ENTRY
// The same product on the host for rows [row0, row1): the tests' reference path to the core.
extern "C" void fock_hop_host(const long long* binom, int brows, int bcols, int ncomp, const long long* comp, int m,
                              const double* diag, const double* self, int npair, const int* pair, const double* pairA,
                              int none, const int* one, const double* oneC, int ntwo, const int* two, const double* twoC,
                              const double* x, double* y, unsigned long long row0, unsigned long long row1) {
    const FockTerms T = fock_terms(binom, brows, bcols, ncomp, comp, m, diag, self, npair, pair, pairA, none, one, oneC, ntwo, two, twoC);
    for (fock_u64 r = row0; r < row1; r++) fock_row(T, r, x, y);
}

struct FockRecord {
    long long* cols;
    double* vals;
    int cap, count;
    double d;
    void diag(double v) { d = v; }
    void add(fock_u64 col, double a, double b) {
        if (count < cap) { cols[count] = (long long) col; vals[2 * count] = a; vals[2 * count + 1] = b; }
        count++;
    }
};

// The entries of one row as the kernel generates them (column ranks and values), without a
// vector: checks ranks of sectors far too large to hold. Returns the number of entries; *diag
// receives the diagonal element.
extern "C" int fock_row_host(const long long* binom, int brows, int bcols, int ncomp, const long long* comp, int m,
                             const double* diag, const double* self, int npair, const int* pair, const double* pairA,
                             int none, const int* one, const double* oneC, int ntwo, const int* two, const double* twoC,
                             unsigned long long row, long long* cols, double* vals, int cap, double* diagOut) {
    const FockTerms T = fock_terms(binom, brows, bcols, ncomp, comp, m, diag, self, npair, pair, pairA, none, one, oneC, ntwo, two, twoC);
    FockRecord rec;
    rec.cols = cols; rec.vals = vals; rec.cap = cap; rec.count = 0; rec.d = 0;
    fock_row_entries(T, row, rec);
    *diagOut = rec.d;
    return rec.count;
}
#endif
