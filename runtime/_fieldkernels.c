/* Batched prime-field arithmetic on lists of Python ints (stoffel.runtime._fieldkernels).
 *
 * The MPC protocols keep share vectors as lists of Python ints. At 255 bits, a list
 * comprehension spends most of its time allocating and dispatching, not multiplying; these
 * kernels do a whole vector per call: each int is read straight from its 30-bit digits into
 * four 64-bit limbs, multiplied in Montgomery form, and written back as a new int.
 *
 * Only what the protocol layer needs: linear combinations (one, or a matrix of them),
 * element-wise products (with an optional added or subtracted vector), sums of products,
 * weighted sums for consistency checks, additions, reductions, and decoding bytes to ints.
 * What dominates at 100k elements is memory, not arithmetic: reading an int and allocating
 * one cost more than a 256-bit Montgomery product, hence the zero-weight skipping and the
 * row-by-row output order in matmul. Inputs may be any ints (negative or unreduced values
 * take a slower path through Python's %); outputs are canonical residues in [0, p).
 * stoffel.runtime.kernels wraps this module and falls back to pure Python when it is not
 * built; the tests compare both.
 *
 * The digit layout read here is CPython 3.11's; other versions do not build this module.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#if PY_VERSION_HEX < 0x030B0000 || PY_VERSION_HEX >= 0x030C0000
#error "_fieldkernels reads CPython 3.11's int layout; other versions use the pure-Python path"
#endif
#if PYLONG_BITS_IN_DIGIT != 30
#error "_fieldkernels expects 30-bit int digits"
#endif

typedef uint64_t u64;
typedef unsigned __int128 u128;

#define LIMBS 4

typedef struct {
    PyObject_HEAD
    u64 p[LIMBS];
    u64 pinv;      /* -p^-1 mod 2^64 */
    u64 r2[LIMBS]; /* R^2 mod p, R = 2^256: mont(x, r2) = x mod p */
    int big;       /* p > 2^255: any value below 2^256 is below 2p */
    int wide;      /* p >= 2^232: wide_reduce's quotient estimate fits in 64 bits */
    PyObject *p_obj;
} FieldObject;

/* ---- limb arithmetic ------------------------------------------------------------------- */

static inline int geq(const u64 a[LIMBS], const u64 b[LIMBS]) {
    for (int i = LIMBS - 1; i >= 0; i--) {
        if (a[i] != b[i]) return a[i] > b[i];
    }
    return 1;
}

/* a -= b; returns the borrow. */
static inline u64 sub_in(u64 a[LIMBS], const u64 b[LIMBS]) {
    u64 borrow = 0;
    for (int i = 0; i < LIMBS; i++) {
        u128 d = (u128)a[i] - b[i] - borrow;
        a[i] = (u64)d;
        borrow = (u64)(d >> 64) & 1;
    }
    return borrow;
}

/* a += b; returns the carry. */
static inline u64 add_in(u64 a[LIMBS], const u64 b[LIMBS]) {
    u64 carry = 0;
    for (int i = 0; i < LIMBS; i++) {
        u128 s = (u128)a[i] + b[i] + carry;
        a[i] = (u64)s;
        carry = (u64)(s >> 64);
    }
    return carry;
}

/* acc = acc + b mod p, both canonical. */
static inline void add_mod(const FieldObject *f, u64 acc[LIMBS], const u64 b[LIMBS]) {
    u64 carry = add_in(acc, b);
    if (carry || geq(acc, f->p)) sub_in(acc, f->p);
}

/* acc = acc - b mod p, both canonical. */
static inline void sub_mod(const FieldObject *f, u64 acc[LIMBS], const u64 b[LIMBS]) {
    if (sub_in(acc, b)) add_in(acc, f->p);
}

/* out = a·b·R^-1 mod p (CIOS). Needs a·b < p·R: a < 2^256 and b < p suffice. */
static inline void mont_mul(const FieldObject *f, const u64 a[LIMBS], const u64 b[LIMBS],
                            u64 out[LIMBS]) {
    u64 t[LIMBS + 2] = {0};
    for (int i = 0; i < LIMBS; i++) {
        u128 c = 0;
        for (int j = 0; j < LIMBS; j++) {
            c += (u128)a[j] * b[i] + t[j];
            t[j] = (u64)c;
            c >>= 64;
        }
        c += t[LIMBS];
        t[LIMBS] = (u64)c;
        t[LIMBS + 1] = (u64)(c >> 64);
        u64 m = t[0] * f->pinv;
        c = ((u128)m * f->p[0] + t[0]) >> 64;
        for (int j = 1; j < LIMBS; j++) {
            c += (u128)m * f->p[j] + t[j];
            t[j - 1] = (u64)c;
            c >>= 64;
        }
        c += t[LIMBS];
        t[LIMBS - 1] = (u64)c;
        t[LIMBS] = t[LIMBS + 1] + (u64)(c >> 64);
    }
    for (int i = 0; i < LIMBS; i++) out[i] = t[i];
    if (t[LIMBS] || geq(out, f->p)) sub_in(out, f->p);
}

/* ---- ints <-> limbs -------------------------------------------------------------------- */

/* The digits of a non-negative int below 2^256 into limbs; 1 if it does not fit. */
static inline int digits_to_limbs(PyObject *o, u64 out[LIMBS]) {
    Py_ssize_t size = Py_SIZE(o);
    if (size < 0 || size > 9) return 1;
    const digit *d = ((PyLongObject *)o)->ob_digit;
    if (size == 9) { /* 241..256 bits: most residues of a 255-bit field, unrolled */
        if (d[8] >> 16) return 1;
        out[0] = (u64)d[0] | (u64)d[1] << 30 | (u64)d[2] << 60;
        out[1] = (u64)d[2] >> 4 | (u64)d[3] << 26 | (u64)d[4] << 56;
        out[2] = (u64)d[4] >> 8 | (u64)d[5] << 22 | (u64)d[6] << 52;
        out[3] = (u64)d[6] >> 12 | (u64)d[7] << 18 | (u64)d[8] << 48;
        return 0;
    }
    out[0] = out[1] = out[2] = out[3] = 0;
    for (Py_ssize_t i = 0; i < size; i++) {
        unsigned pos = 30 * (unsigned)i, limb = pos / 64, off = pos % 64;
        u64 v = d[i];
        out[limb] |= v << off;
        if (off > 34) {
            if (limb + 1 < LIMBS)
                out[limb + 1] |= v >> (64 - off);
            else if (v >> (64 - off))
                return 1;
        }
    }
    return 0;
}

/* How many elements ahead to prefetch: the ints of a vector are separate heap objects, and
 * waiting for each one's cache line is most of a kernel's time at 100k elements. */
#define PREFETCH 8

static inline void prefetch_int(PyObject *o) {
    __builtin_prefetch(o);
    __builtin_prefetch((const char *)o + 48);
}

/* Load an int as a canonical residue (0 ok, -1 error with an exception set). */
static int load(const FieldObject *f, PyObject *o, u64 out[LIMBS]) {
    if (!PyLong_Check(o)) {
        PyErr_Format(PyExc_TypeError, "field element must be int, not %.100s",
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    if (digits_to_limbs(o, out) == 0) {
        if (!geq(out, f->p)) return 0;
        if (f->big) {
            sub_in(out, f->p);
            return 0;
        }
    }
    PyObject *r = PyNumber_Remainder(o, f->p_obj);
    if (r == NULL) return -1;
    int bad = digits_to_limbs(r, out);
    Py_DECREF(r);
    if (bad) {
        PyErr_SetString(PyExc_SystemError, "residue does not fit in 256 bits");
        return -1;
    }
    return 0;
}

static PyObject *limbs_to_int(const u64 v[LIMBS]) {
    int top = LIMBS - 1;
    while (top > 0 && v[top] == 0) top--;
    if (top == 0 && v[0] < (1u << 30)) return PyLong_FromUnsignedLongLong(v[0]);
    unsigned bits = 64 * (unsigned)top + (64 - (unsigned)__builtin_clzll(v[top]));
    Py_ssize_t nd = (bits + 29) / 30;
    PyLongObject *r = _PyLong_New(nd);
    if (r == NULL) return NULL;
    if (nd == 9) { /* the common case, unrolled */
        digit *d = r->ob_digit;
        d[0] = (digit)(v[0] & PyLong_MASK);
        d[1] = (digit)((v[0] >> 30) & PyLong_MASK);
        d[2] = (digit)((v[0] >> 60 | v[1] << 4) & PyLong_MASK);
        d[3] = (digit)((v[1] >> 26) & PyLong_MASK);
        d[4] = (digit)((v[1] >> 56 | v[2] << 8) & PyLong_MASK);
        d[5] = (digit)((v[2] >> 22) & PyLong_MASK);
        d[6] = (digit)((v[2] >> 52 | v[3] << 12) & PyLong_MASK);
        d[7] = (digit)((v[3] >> 18) & PyLong_MASK);
        d[8] = (digit)(v[3] >> 48);
        return (PyObject *)r;
    }
    for (Py_ssize_t i = 0; i < nd; i++) {
        unsigned pos = 30 * (unsigned)i, limb = pos / 64, off = pos % 64;
        u64 x = v[limb] >> off;
        if (off > 34 && limb + 1 < LIMBS) x |= v[limb + 1] << (64 - off);
        r->ob_digit[i] = (digit)(x & PyLong_MASK);
    }
    return (PyObject *)r;
}

/* ---- argument helpers ------------------------------------------------------------------ */

/* A list or tuple's items (borrowed) via PySequence_Fast; *keep owns the sequence.
 * 0 ok, -1 error. (An empty list's item pointer may be NULL, so it cannot signal errors.) */
static int items_of(PyObject *seq, PyObject ***items, Py_ssize_t *len, PyObject **keep,
                    const char *what) {
    *keep = PySequence_Fast(seq, what);
    if (*keep == NULL) return -1;
    *len = PySequence_Fast_GET_SIZE(*keep);
    *items = PySequence_Fast_ITEMS(*keep);
    return 0;
}

static int same_length(Py_ssize_t a, Py_ssize_t b) {
    if (a == b) return 1;
    PyErr_Format(PyExc_ValueError, "vectors differ in length (%zd vs %zd)", a, b);
    return 0;
}

/* ---- small-weight combinations --------------------------------------------------------- */

#define WIDE (LIMBS + 1)
/* Small weights: |w| below 2^31, so Σ |w_k|·p over up to 2^8 terms fits in WIDE limbs. */
#define SMALL_WEIGHT (1LL << 31)
#define MAX_SMALL_TERMS 256

/* acc += w·v (w < 2^32), acc WIDE limbs. */
static inline void wide_add_small(u64 acc[WIDE], const u64 v[LIMBS], u64 w) {
    u128 c = 0;
    for (int i = 0; i < LIMBS; i++) {
        c += (u128)v[i] * w + acc[i];
        acc[i] = (u64)c;
        c >>= 64;
    }
    acc[LIMBS] += (u64)c;
}

/* acc -= w·v (w < 2^32); the caller keeps acc non-negative. */
static inline void wide_sub_small(u64 acc[WIDE], const u64 v[LIMBS], u64 w) {
    u64 prod[WIDE];
    u128 c = 0;
    for (int i = 0; i < LIMBS; i++) {
        c += (u128)v[i] * w;
        prod[i] = (u64)c;
        c >>= 64;
    }
    prod[LIMBS] = (u64)c;
    u64 borrow = 0;
    for (int i = 0; i < WIDE; i++) {
        u128 d = (u128)acc[i] - prod[i] - borrow;
        acc[i] = (u64)d;
        borrow = (u64)(d >> 64) & 1;
    }
}

/* out = x mod p for x < 2^(256+40) and p >= 2^232 (f->wide): subtract an underestimate of the quotient times p, then
 * at most a few more p. The estimate divides x's top 128 bits by p's top limb rounded up. */
static inline void wide_reduce(const FieldObject *f, const u64 x[WIDE], u64 out[LIMBS]) {
    u64 r[WIDE];
    for (int i = 0; i < WIDE; i++) r[i] = x[i];
    if (r[LIMBS]) {
        u128 top = ((u128)r[LIMBS] << 64) | r[LIMBS - 1];
        u128 den = (u128)f->p[LIMBS - 1] + 1;
        u64 q = (u64)(top / den);
        u128 c = 0;
        u64 borrow = 0;
        for (int i = 0; i < WIDE; i++) {
            u64 pi = i < LIMBS ? f->p[i] : 0;
            c += (u128)pi * q;
            u128 d = (u128)r[i] - (u64)c - borrow;
            r[i] = (u64)d;
            borrow = (u64)(d >> 64) & 1;
            c >>= 64;
        }
    }
    while (r[LIMBS] || geq(r, f->p)) {
        u64 borrow = sub_in(r, f->p);
        r[LIMBS] -= borrow;
    }
    for (int i = 0; i < LIMBS; i++) out[i] = r[i];
}

/* A weight as a small signed integer (w or w − p), if it is one. */
static int small_weight(const FieldObject *f, const u64 w[LIMBS], long long *out) {
    if (!w[1] && !w[2] && !w[3] && w[0] < (u64)SMALL_WEIGHT) {
        *out = (long long)w[0];
        return 1;
    }
    u64 d[LIMBS];
    for (int i = 0; i < LIMBS; i++) d[i] = f->p[i];
    sub_in(d, w); /* p − w, w canonical */
    if (!d[1] && !d[2] && !d[3] && d[0] < (u64)SMALL_WEIGHT) {
        *out = -(long long)d[0];
        return 1;
    }
    return 0;
}

/* ---- kernels --------------------------------------------------------------------------- */

/* One row of a weight matrix, prepared for the element loop. */
typedef struct {
    u64 (*mont)[LIMBS]; /* weights in Montgomery form (the general path) */
    long long *small;   /* the weights as small signed ints (when `exact`) */
    unsigned char *unit;
    unsigned char *zero; /* terms to skip: reading an int costs more than the arithmetic */
    int exact;          /* all weights small: sum exactly, reduce once */
    u64 base[WIDE];     /* N·p, N = Σ of the negative weights' sizes: sums never go below 0 */
} Row;

static int prepare_row(const FieldObject *f, PyObject *wseq, Py_ssize_t k, Row *row) {
    PyObject *keep, **ws;
    Py_ssize_t nw;
    if (items_of(wseq, &ws, &nw, &keep, "each row of weights must be a sequence") < 0) return -1;
    int ok = same_length(k, nw);
    row->mont = ok ? PyMem_Calloc(k + 1, sizeof *row->mont) : NULL;
    row->small = ok ? PyMem_Calloc(k + 1, sizeof *row->small) : NULL;
    row->unit = ok ? PyMem_Calloc(k + 1, 1) : NULL;
    row->zero = ok ? PyMem_Calloc(k + 1, 1) : NULL;
    if (ok && (!row->mont || !row->small || !row->unit || !row->zero)) {
        PyErr_NoMemory();
        ok = 0;
    }
    row->exact = f->wide && k <= MAX_SMALL_TERMS;
    u64 neg = 0;
    for (Py_ssize_t j = 0; ok && j < k; j++) {
        u64 w[LIMBS];
        if (load(f, ws[j], w) < 0) {
            ok = 0;
            break;
        }
        row->unit[j] = w[0] == 1 && !w[1] && !w[2] && !w[3];
        row->zero[j] = !w[0] && !w[1] && !w[2] && !w[3];
        row->exact &= small_weight(f, w, &row->small[j]);
        mont_mul(f, w, f->r2, row->mont[j]);
    }
    if (ok && row->exact) {
        for (Py_ssize_t j = 0; j < k; j++)
            if (row->small[j] < 0) neg += (u64)(-row->small[j]);
        for (int j = 0; j < WIDE; j++) row->base[j] = 0;
        wide_add_small(row->base, f->p, neg);
    }
    Py_DECREF(keep);
    return ok ? 0 : -1;
}

static void free_row(Row *row) {
    PyMem_Free(row->mont);
    PyMem_Free(row->small);
    PyMem_Free(row->unit);
    PyMem_Free(row->zero);
}

/* Σ_j w_j·vals[j] mod p for one prepared row. */
static inline void apply_row(const FieldObject *f, const Row *row, u64 (*vals)[LIMBS],
                             Py_ssize_t k, u64 out[LIMBS]) {
    if (row->exact) {
        u64 acc[WIDE];
        for (int j = 0; j < WIDE; j++) acc[j] = row->base[j];
        for (Py_ssize_t j = 0; j < k; j++) {
            if (row->zero[j]) continue;
            long long w = row->small[j];
            if (w > 0)
                wide_add_small(acc, vals[j], (u64)w);
            else if (w < 0)
                wide_sub_small(acc, vals[j], (u64)(-w));
        }
        wide_reduce(f, acc, out);
        return;
    }
    u64 term[LIMBS];
    for (int j = 0; j < LIMBS; j++) out[j] = 0;
    for (Py_ssize_t j = 0; j < k; j++) {
        if (row->zero[j]) continue;
        if (row->unit[j]) {
            add_mod(f, out, vals[j]);
        } else {
            mont_mul(f, row->mont[j], vals[j], term);
            add_mod(f, out, term);
        }
    }
}

/* rows × vectors: out[r][i] = Σ_j rows[r][j] · vectors[j][i] mod p. Each element of every
 * vector is read once for all rows (dealing, extraction, interpolation). */
static PyObject *matmul(FieldObject *f, PyObject *rseq, PyObject *vseq) {
    PyObject *rkeep = NULL, *vkeep = NULL, *out = NULL, **rs, **vs;
    PyObject **vkeeps = NULL, ***vitems = NULL;
    Row *rows = NULL;
    u64(*vals)[LIMBS] = NULL;
    Py_ssize_t nr = 0, k = 0, len = 0, r, j;
    if (items_of(rseq, &rs, &nr, &rkeep, "rows must be a sequence") < 0) goto done;
    if (items_of(vseq, &vs, &k, &vkeep, "vectors must be a sequence") < 0) goto done;
    if (k == 0) {
        PyErr_SetString(PyExc_ValueError, "nothing to combine");
        goto done;
    }
    rows = PyMem_Calloc(nr + 1, sizeof *rows);
    vkeeps = PyMem_Calloc(k, sizeof *vkeeps);
    vitems = PyMem_Calloc(k, sizeof *vitems);
    vals = PyMem_Calloc(k, sizeof *vals);
    if (!rows || !vkeeps || !vitems || !vals) {
        PyErr_NoMemory();
        goto done;
    }
    for (j = 0; j < k; j++) {
        Py_ssize_t l;
        if (items_of(vs[j], &vitems[j], &l, &vkeeps[j], "each vector must be a sequence") < 0)
            goto done;
        if (j == 0) len = l;
        if (!same_length(len, l)) goto done;
    }
    for (r = 0; r < nr; r++)
        if (prepare_row(f, rs[r], k, &rows[r]) < 0) goto done;
    out = PyList_New(nr);
    if (out == NULL) goto done;
    for (r = 0; r < nr; r++) {
        PyObject *lst = PyList_New(len);
        if (lst == NULL) goto fail;
        PyList_SET_ITEM(out, r, lst);
    }
    /* Row by row: each output vector's ints are then allocated together, and later passes
     * over one vector stay in fewer cache lines (interleaving the rows was slower overall,
     * though it reads each input once). */
    for (r = 0; r < nr; r++) {
        PyObject *lst = PyList_GET_ITEM(out, r);
        for (Py_ssize_t i = 0; i < len; i++) {
            for (j = 0; j < k; j++)
                if (!rows[r].zero[j] && load(f, vitems[j][i], vals[j]) < 0) goto fail;
            u64 res[LIMBS];
            apply_row(f, &rows[r], vals, k, res);
            PyObject *o = limbs_to_int(res);
            if (o == NULL) goto fail;
            PyList_SET_ITEM(lst, i, o);
        }
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    if (rows) {
        for (r = 0; r < nr; r++) free_row(&rows[r]);
    }
    if (vkeeps) {
        for (j = 0; j < k; j++) Py_XDECREF(vkeeps[j]);
    }
    PyMem_Free(rows);
    PyMem_Free(vkeeps);
    PyMem_Free(vitems);
    PyMem_Free(vals);
    Py_XDECREF(rkeep);
    Py_XDECREF(vkeep);
    return out;
}

/* Field.matmul(rows, vectors) -> [[Σ_j rows[r][j] · vectors[j][i] mod p for i] for r] */
static PyObject *field_matmul(FieldObject *f, PyObject *args) {
    PyObject *rseq, *vseq;
    if (!PyArg_ParseTuple(args, "OO:matmul", &rseq, &vseq)) return NULL;
    return matmul(f, rseq, vseq);
}

/* Field.lincomb(weights, vectors) -> [Σ_k w_k · v_k[i] mod p for each i]: one row. */
static PyObject *field_lincomb(FieldObject *f, PyObject *args) {
    PyObject *wseq, *vseq;
    if (!PyArg_ParseTuple(args, "OO:lincomb", &wseq, &vseq)) return NULL;
    PyObject *rows = PyTuple_Pack(1, wseq);
    if (rows == NULL) return NULL;
    PyObject *res = matmul(f, rows, vseq);
    Py_DECREF(rows);
    if (res == NULL) return NULL;
    PyObject *first = PyList_GET_ITEM(res, 0);
    Py_INCREF(first);
    Py_DECREF(res);
    return first;
}

/* Loads a list/tuple of n equal-length vectors' items; *keeps[k] own them. */
static int load_vectors(PyObject *const *vecs, int n, PyObject **keeps, PyObject ***items,
                        Py_ssize_t *len) {
    for (int k = 0; k < n; k++) {
        Py_ssize_t l;
        if (items_of(vecs[k], &items[k], &l, &keeps[k], "expected a sequence of ints") < 0)
            return -1;
        if (k == 0) *len = l;
        if (!same_length(*len, l)) return -1;
    }
    return 0;
}

/* Field.dot(a, b) -> Σ a_i·b_i mod p */
static PyObject *field_dot(FieldObject *f, PyObject *args) {
    PyObject *vecs[2], *keeps[2] = {NULL, NULL}, **items[2], *out = NULL;
    if (!PyArg_ParseTuple(args, "OO:dot", &vecs[0], &vecs[1])) return NULL;
    Py_ssize_t len = 0;
    if (load_vectors(vecs, 2, keeps, items, &len) < 0) goto done;
    /* Exact: 512-bit products summed in 9 limbs (room for 2^64 terms), one reduction at
     * the end. Cheaper than a Montgomery product per term. */
    u64 acc[2 * LIMBS + 1] = {0}, a[LIMBS], b[LIMBS];
    for (Py_ssize_t i = 0; i < len; i++) {
        if (i + PREFETCH < len) {
            prefetch_int(items[0][i + PREFETCH]);
            prefetch_int(items[1][i + PREFETCH]);
        }
        if (load(f, items[0][i], a) < 0 || load(f, items[1][i], b) < 0) goto done;
        u64 prod[2 * LIMBS] = {0};
        for (int x = 0; x < LIMBS; x++) {
            u128 c = 0;
            for (int y = 0; y < LIMBS; y++) {
                c += (u128)a[x] * b[y] + prod[x + y];
                prod[x + y] = (u64)c;
                c >>= 64;
            }
            prod[x + LIMBS] = (u64)c;
        }
        u128 s = 0;
        for (int j = 0; j < 2 * LIMBS; j++) {
            s += (u128)acc[j] + prod[j];
            acc[j] = (u64)s;
            s >>= 64;
        }
        acc[2 * LIMBS] += (u64)s;
    }
    PyObject *exact = _PyLong_FromByteArray((const unsigned char *)acc, sizeof acc, 1, 0);
    if (exact != NULL) {
        out = PyNumber_Remainder(exact, f->p_obj);
        Py_DECREF(exact);
    }
done:
    Py_XDECREF(keeps[0]);
    Py_XDECREF(keeps[1]);
    return out;
}

/* One pass over n equal-length vectors: r = a, or a·b when `mul`; then, if a vector is
 * left, r ± it (sign ±1). Covers reduce, add, sub, mul and muladd. */
static PyObject *elementwise(FieldObject *f, PyObject *const *vecs, int n, int mul, int sign) {
    PyObject *keeps[3] = {NULL, NULL, NULL}, **items[3], *out = NULL;
    Py_ssize_t len = 0;
    if (load_vectors(vecs, n, keeps, items, &len) < 0) goto done;
    out = PyList_New(len);
    if (out == NULL) goto done;
    int add = mul ? 2 : 1; /* the vector added or subtracted, if n > add */
    for (Py_ssize_t i = 0; i < len; i++) {
        u64 r[LIMBS], b[LIMBS], ab[LIMBS];
        if (i + PREFETCH < len) {
            for (int k = 0; k < n; k++) prefetch_int(items[k][i + PREFETCH]);
        }
        if (load(f, items[0][i], r) < 0) goto fail;
        if (mul) {
            if (load(f, items[1][i], b) < 0) goto fail;
            mont_mul(f, r, b, ab);
            mont_mul(f, ab, f->r2, r);
        }
        if (n > add) {
            if (load(f, items[add][i], b) < 0) goto fail;
            if (sign < 0)
                sub_mod(f, r, b);
            else
                add_mod(f, r, b);
        }
        PyObject *o = limbs_to_int(r);
        if (o == NULL) goto fail;
        PyList_SET_ITEM(out, i, o);
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    for (int k = 0; k < n; k++) Py_XDECREF(keeps[k]);
    return out;
}

/* Field.muladd(a, b, c=None, sign=1) -> [a_i·b_i + sign·c_i mod p] (sign ±1). */
static PyObject *field_muladd(FieldObject *f, PyObject *args) {
    PyObject *vecs[3] = {NULL, NULL, Py_None};
    int sign = 1;
    if (!PyArg_ParseTuple(args, "OO|Oi:muladd", &vecs[0], &vecs[1], &vecs[2], &sign)) return NULL;
    return elementwise(f, vecs, vecs[2] == Py_None ? 2 : 3, 1, sign);
}

static PyObject *field_add(FieldObject *f, PyObject *args) {
    PyObject *vecs[2];
    if (!PyArg_ParseTuple(args, "OO:add", &vecs[0], &vecs[1])) return NULL;
    return elementwise(f, vecs, 2, 0, 1);
}

static PyObject *field_sub(FieldObject *f, PyObject *args) {
    PyObject *vecs[2];
    if (!PyArg_ParseTuple(args, "OO:sub", &vecs[0], &vecs[1])) return NULL;
    return elementwise(f, vecs, 2, 0, -1);
}

static PyObject *field_reduce(FieldObject *f, PyObject *arg) {
    PyObject *vecs[1] = {arg};
    return elementwise(f, vecs, 1, 0, 1);
}

/* Field.wsums(w, vectors) -> [Σ_i w_i·v_k[i] mod p for each vector k], w_i the i-th 8-byte
 * little-endian word of the bytes w (the random weights of a batched consistency check):
 * one pass, exact sums, one reduction per vector. */
static PyObject *field_wsums(FieldObject *f, PyObject *args) {
    Py_buffer wbuf;
    PyObject *vseq, *vkeep = NULL, *out = NULL, **vs;
    PyObject **vkeeps = NULL, ***vitems = NULL;
    u64(*acc)[LIMBS + 2] = NULL;
    Py_ssize_t len = 0, nv = 0, k;
    if (!PyArg_ParseTuple(args, "y*O:wsums", &wbuf, &vseq)) return NULL;
    if (wbuf.len % 8) {
        PyErr_Format(PyExc_ValueError, "%zd weight bytes are not a multiple of 8", wbuf.len);
        goto done;
    }
    len = wbuf.len / 8;
    if (items_of(vseq, &vs, &nv, &vkeep, "vectors must be a sequence") < 0) goto done;
    vkeeps = PyMem_Calloc(nv + 1, sizeof *vkeeps);
    vitems = PyMem_Calloc(nv + 1, sizeof *vitems);
    acc = PyMem_Calloc(nv + 1, sizeof *acc);
    if (!vkeeps || !vitems || !acc) {
        PyErr_NoMemory();
        goto done;
    }
    for (k = 0; k < nv; k++) {
        Py_ssize_t l;
        if (items_of(vs[k], &vitems[k], &l, &vkeeps[k], "each vector must be a sequence") < 0)
            goto done;
        if (!same_length(len, l)) goto done;
    }
    const unsigned char *wb = wbuf.buf;
    for (Py_ssize_t i = 0; i < len; i++) {
        u64 w = 0, v[LIMBS];
        for (int b = 7; b >= 0; b--) w = (w << 8) | wb[8 * i + b];
        for (k = 0; k < nv; k++) {
            if (load(f, vitems[k][i], v) < 0) goto done;
            u128 c = 0;
            for (int j = 0; j < LIMBS; j++) {
                c += (u128)v[j] * w + acc[k][j];
                acc[k][j] = (u64)c;
                c >>= 64;
            }
            c += acc[k][LIMBS];
            acc[k][LIMBS] = (u64)c;
            acc[k][LIMBS + 1] += (u64)(c >> 64);
        }
    }
    out = PyList_New(nv);
    if (out == NULL) goto done;
    for (k = 0; k < nv; k++) {
        PyObject *exact = _PyLong_FromByteArray((const unsigned char *)acc[k], sizeof acc[k], 1, 0);
        PyObject *r = exact ? PyNumber_Remainder(exact, f->p_obj) : NULL;
        Py_XDECREF(exact);
        if (r == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, k, r);
    }
done:
    if (vkeeps) {
        for (k = 0; k < nv; k++) Py_XDECREF(vkeeps[k]);
    }
    PyMem_Free(vkeeps);
    PyMem_Free(vitems);
    PyMem_Free(acc);
    Py_XDECREF(vkeep);
    PyBuffer_Release(&wbuf);
    return out;
}

/* from_bytes(data, width, bound=None) -> the little-endian width-byte chunks of data as ints;
 * with a bound, chunks whose value is not below it are dropped (rejection sampling). */
static PyObject *kernels_from_bytes(PyObject *Py_UNUSED(mod), PyObject *args) {
    Py_buffer buf;
    Py_ssize_t width;
    PyObject *bound_obj = Py_None, *out = NULL;
    if (!PyArg_ParseTuple(args, "y*n|O:from_bytes", &buf, &width, &bound_obj)) return NULL;
    u64 bound[LIMBS] = {0};
    int bounded = bound_obj != Py_None;
    if (width < 1 || width > 8 * LIMBS) {
        PyErr_SetString(PyExc_ValueError, "width must be 1..32 bytes");
        goto done;
    }
    if (buf.len % width) {
        PyErr_Format(PyExc_ValueError, "%zd bytes are not a multiple of %zd", buf.len, width);
        goto done;
    }
    if (bounded && (!PyLong_Check(bound_obj) || digits_to_limbs(bound_obj, bound))) {
        PyErr_SetString(PyExc_ValueError, "bound must be an int in [0, 2^256)");
        goto done;
    }
    out = PyList_New(0);
    if (out == NULL) goto done;
    const unsigned char *data = buf.buf;
    for (Py_ssize_t off = 0; off < buf.len; off += width) {
        u64 v[LIMBS] = {0};
        unsigned char tmp[8 * LIMBS] = {0};
        memcpy(tmp, data + off, (size_t)width);
        for (int i = 0; i < LIMBS; i++) {
            u64 x = 0;
            for (int b = 7; b >= 0; b--) x = (x << 8) | tmp[8 * i + b];
            v[i] = x;
        }
        if (bounded && geq(v, bound)) continue;
        PyObject *o = limbs_to_int(v);
        if (o == NULL || PyList_Append(out, o) < 0) {
            Py_XDECREF(o);
            Py_CLEAR(out);
            goto done;
        }
        Py_DECREF(o);
    }
done:
    PyBuffer_Release(&buf);
    return out;
}

/* ---- the Field type -------------------------------------------------------------------- */

/* Field(p, pinv, r2): constants computed by the Python wrapper (pinv = -p^-1 mod 2^64,
 * r2 = 2^512 mod p). */
static int field_init(FieldObject *f, PyObject *args, PyObject *Py_UNUSED(kwds)) {
    PyObject *p, *pinv, *r2;
    if (!PyArg_ParseTuple(args, "O!O!O!:Field", &PyLong_Type, &p, &PyLong_Type, &pinv,
                          &PyLong_Type, &r2))
        return -1;
    u64 tmp[LIMBS];
    if (digits_to_limbs(p, f->p) || !(f->p[0] & 1) || digits_to_limbs(r2, f->r2) ||
        digits_to_limbs(pinv, tmp) || tmp[1] || tmp[2] || tmp[3]) {
        PyErr_SetString(PyExc_ValueError, "Field needs an odd p < 2^256 and its constants");
        return -1;
    }
    f->pinv = tmp[0];
    if (f->pinv * f->p[0] != (u64)-1) {
        PyErr_SetString(PyExc_ValueError, "pinv is not -p^-1 mod 2^64");
        return -1;
    }
    f->big = (f->p[3] >> 63) != 0;
    f->wide = (f->p[3] >> 40) != 0;
    Py_INCREF(p);
    Py_XSETREF(f->p_obj, p);
    return 0;
}

static void field_dealloc(FieldObject *f) {
    Py_XDECREF(f->p_obj);
    Py_TYPE(f)->tp_free((PyObject *)f);
}

static PyMethodDef field_methods[] = {
    {"lincomb", (PyCFunction)field_lincomb, METH_VARARGS,
     "lincomb(weights, vectors) -> [sum_k w_k * v_k[i] mod p]"},
    {"matmul", (PyCFunction)field_matmul, METH_VARARGS,
     "matmul(rows, vectors) -> [[sum_j rows[r][j] * vectors[j][i] mod p] for each row r]"},
    {"muladd", (PyCFunction)field_muladd, METH_VARARGS,
     "muladd(a, b, c=None, sign=1) -> [a_i * b_i + sign * c_i mod p]"},
    {"dot", (PyCFunction)field_dot, METH_VARARGS, "dot(a, b) -> sum_i a_i * b_i mod p"},
    {"wsums", (PyCFunction)field_wsums, METH_VARARGS,
     "wsums(w: bytes, vectors) -> [sum_i w_i * v_k[i] mod p], w_i = 8-byte words of w"},
    {"add", (PyCFunction)field_add, METH_VARARGS, "add(a, b) -> [a_i + b_i mod p]"},
    {"sub", (PyCFunction)field_sub, METH_VARARGS, "sub(a, b) -> [a_i - b_i mod p]"},
    {"reduce", (PyCFunction)field_reduce, METH_O, "reduce(a) -> [a_i mod p]"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject FieldType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "stoffel.runtime._fieldkernels.Field",
    .tp_basicsize = sizeof(FieldObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Batched arithmetic modulo an odd prime below 2^256.",
    .tp_methods = field_methods,
    .tp_init = (initproc)field_init,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = (destructor)field_dealloc,
};

static PyMethodDef module_methods[] = {
    {"from_bytes", kernels_from_bytes, METH_VARARGS,
     "from_bytes(data, width, bound=None) -> little-endian chunks as ints (below bound)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_methods = module_methods, .m_name = "_fieldkernels", .m_doc = "Batched prime-field kernels.",
    .m_size = -1,
};

PyMODINIT_FUNC PyInit__fieldkernels(void) {
    if (PyType_Ready(&FieldType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    Py_INCREF(&FieldType);
    if (PyModule_AddObject(m, "Field", (PyObject *)&FieldType) < 0) {
        Py_DECREF(&FieldType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
