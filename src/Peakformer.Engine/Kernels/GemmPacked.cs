using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Peakformer.Engine.Threading;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// Cache-blocked matrix multiply around an MR x NR register micro-kernel that broadcasts MR values of A and
/// loads NR-wide rows of B. When A is reused across many B panels (wide B, or rows 4 KB apart) it is packed,
/// and the loops keep one MR x KC micro-panel of A in L1 while the KC x NC block of packed B (1 MB) streams
/// from L2: the BLIS order with the roles of A and B swapped, because here B is the operand read as vectors.
/// When B has few panels (the narrow layers of a transformer) A is read in place with strides (plain A through
/// row pointers, transposed A row by row), because packing it cost as much as the arithmetic; leftover rows
/// then use a smaller-MR edge kernel. Plain narrow B is read in place; wide, transposed and partial B is packed.
/// Each element of C is computed by one thread in a fixed k order (KC-long FMA chains added to C in turn), so
/// results depend neither on the thread count nor on the loop order.
/// </summary>
internal static unsafe class GemmPacked<TKernel, TEdge> where TKernel : struct, IMicroKernel where TEdge : struct, IMicroKernel
{
    private const int KC = 256;
    private const int MC = 192;
    private const int NC = 1024;

    /// <summary>512-bit helpers (copies, bias, the transposed column, the 12-row A packer) run only beside the 512-bit
    /// kernel: the variant comes with TKernel, chosen once by Gemm, not from the hardware.</summary>
    internal static bool Wide => TKernel.Variant == KernelVariant.Vector512;

    /// <summary>Beside the 128-bit kernel the helpers use 128-bit vectors only: a 128-bit CPU has no fast Vector256.</summary>
    internal static bool Narrow => TKernel.Variant == KernelVariant.Vector128;

    [ThreadStatic] private static float[]? _packedA;
    [ThreadStatic] private static float[]? _packedB;
    [ThreadStatic] private static Job? _job;
    [ThreadStatic] private static PackJob? _packJob;

    /// <summary>C (= or +=) op(A) op(B), plus bias[j] on every row when bias is not null.</summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, WorkerPool pool, float* bias = null)
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate)
                for (int i = 0; i < m; i++) new Span<float>(c + (long)i * ldc, n).Clear();
            if (bias != null) AddBias(c, m, n, ldc, bias);
            return;
        }
        if (n == 1 && transA)
        {
            TransposedColumn(m, k, a, lda, b, transB ? 1 : ldb, c, ldc, accumulate, bias);
            return;
        }
        int nr = TKernel.NR, mr = TKernel.MR;
        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            int ncPadded = (nc + nr - 1) / nr * nr;
            var packedB = Rent(ref _packedB, k * ncPadded);
            fixed (float* pb = packedB)
            {
                // Plain, narrow B is read in place except a partial last panel. Wide B (reused by many row blocks)
                // and rows 4 KB apart (which alias in L1) are packed, as is transposed B.
                bool directB = !transB && nc <= 8 * nr && !Aliases(ldb);
                int firstPacked = directB ? nc / nr * nr : 0;
                int panelsToPack = (ncPadded - firstPacked) / nr;
                if (panelsToPack > 0)
                {
                    // Packing a wide B is a large copy: share its panels among the threads.
                    var pack = _packJob ??= new PackJob();
                    pack.Set(transB, k, nc, firstPacked, b, ldb, jc, pb);
                    pool.Run(pack, (long)k * nc < 1 << 16 ? 1 : Math.Min(pool.Threads, panelsToPack));
                }
                var job = _job ??= new Job();
                job.Set(transA, directB, m, nc, k, a, lda, b + jc, ldb, pb, c + jc, ldc, accumulate, bias == null ? null : bias + jc);
                int panelsM = (m + mr - 1) / mr, panelsN = ncPadded / nr;
                int parts = Math.Min(pool.Threads, Math.Max(panelsM, panelsN));
                // Tiny problems stay on one thread: waking another costs more than it saves.
                if ((long)m * nc * k < 64 * 64 * 64) parts = 1;
                job.SplitRows = panelsM >= panelsN || panelsM >= 2 * parts;
                pool.Run(job, parts);
            }
        }
    }

    /// <summary>
    /// One column of C from transposed A (a weight gradient with one input feature): a sum of scaled rows of A,
    /// vectorised across C's rows; B's single column has its elements bStep floats apart. A panel kernel would pad B
    /// to NR columns and do NR times the work. The sums run in the kernels' order (KC-deep slices, each from zero and
    /// then added into C), so the bits are the same.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposedColumn(int m, int k, float* a, int lda, float* b, int bStep, float* c, int ldc, bool accumulate, float* bias)
    {
        const int Chunk = 64;
        float* sums = stackalloc float[Chunk];
        for (int i0 = 0; i0 < m; i0 += Chunk)
        {
            int rows = Math.Min(Chunk, m - i0);
            for (int k0 = 0; k0 < k; k0 += KC)
            {
                int kc = Math.Min(KC, k - k0);
                new Span<float>(sums, rows).Clear();
                for (int p = k0; p < k0 + kc; p++)
                {
                    float* row = a + (long)p * lda + i0;
                    float scale = b[(long)p * bStep];
                    int x = 0;
                    // No 256-bit body: under Vector256 the scalar loop below (the reference, same FMA per element) runs.
                    // Vector128 has its own body, as a CPU without FMA would run the scalar fused multiply-add in software.
                    if (Wide)
                        for (; x + 16 <= rows; x += 16)
                            Vector512.Store(Vector512.FusedMultiplyAdd(Vector512.Load(row + x), Vector512.Create(scale), Vector512.Load(sums + x)), sums + x);
                    if (Narrow)
                        for (; x + 4 <= rows; x += 4)
                            Vector128.Store(Simd128.Fma(Vector128.Load(row + x), Vector128.Create(scale), Vector128.Load(sums + x)), sums + x);
                    // The tail rounds as its tier's panel kernel does: Vector128 without FMA hardware multiplies, then adds.
                    if (Narrow && !Simd128.HasFma)
                        for (; x < rows; x++) sums[x] = row[x] * scale + sums[x];
                    for (; x < rows; x++) sums[x] = MathF.FusedMultiplyAdd(row[x], scale, sums[x]);
                }
                bool add = accumulate || k0 > 0;
                for (int x = 0; x < rows; x++)
                {
                    float* target = c + (long)(i0 + x) * ldc;
                    *target = add ? *target + sums[x] : sums[x];
                }
            }
            if (bias != null)
                for (int x = 0; x < rows; x++) c[(long)(i0 + x) * ldc] += bias[0];
        }
    }

    /// <summary>
    /// c[x, y] += bias[y] for a tile just written: the same one addition per element as a separate pass over C
    /// afterwards, but while the tile is still in L1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddBias(float* c, int rows, int cols, int ldc, float* bias)
    {
        for (int x = 0; x < rows; x++)
        {
            float* row = c + (long)x * ldc;
            int y = 0;
            if (Wide)
                for (; y + 16 <= cols; y += 16) Vector512.Store(Vector512.Load(row + y) + Vector512.Load(bias + y), row + y);
            if (Narrow)
                for (; y + 4 <= cols; y += 4) Vector128.Store(Vector128.Load(row + y) + Vector128.Load(bias + y), row + y);
            else
                for (; y + 8 <= cols; y += 8) Vector256.Store(Vector256.Load(row + y) + Vector256.Load(bias + y), row + y);
            for (; y < cols; y++) row[y] += bias[y];
        }
    }

    /// <summary>Rows whose stride is a multiple of 4 KB map to the same L1 sets and evict each other.</summary>
    private static bool Aliases(int leadingDimension) => leadingDimension % 1024 == 0;

    private static float[] Rent(ref float[]? slot, int length)
    {
        if (slot is null || slot.Length < length) slot = GC.AllocateUninitializedArray<float>(length + 16, pinned: true);
        return slot;
    }

    // Packed B: for each KC block of rows (base k0 * ncPadded), NR-wide panels of kc rows each; only panels
    // whose first column is in [firstPanelColumn, endColumn).
    private static void PackB(bool transB, int k, int nc, int firstPanelColumn, int endColumn, float* b, int ldb, int jc, float* dst)
    {
        int nr = TKernel.NR;
        int ncPadded = (nc + nr - 1) / nr * nr;
        for (int k0 = 0; k0 < k; k0 += KC)
        {
            int kc = Math.Min(KC, k - k0);
            float* block = dst + (long)k0 * ncPadded;
            for (int j0 = firstPanelColumn; j0 < Math.Min(nc, endColumn); j0 += nr)
            {
                float* panel = block + (long)j0 * kc;
                int cols = Math.Min(nr, nc - j0);
                if (!transB && cols == nr)
                {
                    for (int p = 0; p < kc; p++) CopyRow(b + (long)(k0 + p) * ldb + jc + j0, panel + p * nr, nr);
                }
                else if (!transB)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* src = b + (long)(k0 + p) * ldb + jc + j0;
                        float* d = panel + p * nr;
                        for (int x = 0; x < cols; x++) d[x] = src[x];
                        for (int x = cols; x < nr; x++) d[x] = 0f;
                    }
                }
                else
                {
                    for (int x = 0; x < cols; x++)
                    {
                        float* src = b + (long)(jc + j0 + x) * ldb + k0;
                        for (int p = 0; p < kc; p++) panel[p * nr + x] = src[p];
                    }
                    for (int x = cols; x < nr; x++)
                        for (int p = 0; p < kc; p++) panel[p * nr + x] = 0f;
                }
            }
        }
    }

    // NR is a multiple of the vector width of its kernel (32 for AVX-512, 16 for AVX2, 8 for SSE/NEON).
    private static void CopyRow(float* src, float* dst, int count)
    {
        if (Narrow && count % Vector128<float>.Count == 0)
            for (int x = 0; x < count; x += Vector128<float>.Count) Vector128.Store(Vector128.Load(src + x), dst + x);
        else if (Wide && count % Vector512<float>.Count == 0)
            for (int x = 0; x < count; x += Vector512<float>.Count) Vector512.Store(Vector512.Load(src + x), dst + x);
        else if (count % Vector256<float>.Count == 0)
            for (int x = 0; x < count; x += Vector256<float>.Count) Vector256.Store(Vector256.Load(src + x), dst + x);
        else
            for (int x = 0; x < count; x++) dst[x] = src[x];
    }

    // One zero-padded MR-high panel of op(A): rows i0..i0+rows-1, columns k0..k0+kc-1, k-major.
    // Loops run along A's contiguous direction so the reads stream; the element-by-element copy is the reference
    // for the register-transposing RowPanel12.
    private static void PackPanelA(bool transA, int i0, int rows, int k0, int kc, float* a, int lda, float* panel)
    {
        int mr = TKernel.MR;
        if (!transA && rows == RowPanel12.Rows && mr == RowPanel12.Rows && Wide)
        {
            RowPanel12.Pack(a + (long)i0 * lda + k0, lda, kc, panel);
            return;
        }
        if (transA)
        {
            for (int p = 0; p < kc; p++)
            {
                float* src = a + (long)(k0 + p) * lda + i0;
                float* d = panel + p * mr;
                for (int x = 0; x < rows; x++) d[x] = src[x];
                for (int x = rows; x < mr; x++) d[x] = 0f;
            }
            return;
        }
        for (int x = 0; x < rows; x++)
        {
            float* src = a + (long)(i0 + x) * lda + k0;
            for (int p = 0; p < kc; p++) panel[p * mr + x] = src[p];
        }
        for (int x = rows; x < mr; x++)
            for (int p = 0; p < kc; p++) panel[p * mr + x] = 0f;
    }

    private sealed class PackJob : IParallelJob
    {
        private bool _transB;
        private int _k, _nc, _first, _ldb, _jc;
        private float* _b, _dst;

        public void Set(bool transB, int k, int nc, int first, float* b, int ldb, int jc, float* dst)
        {
            (_transB, _k, _nc, _first, _ldb, _jc) = (transB, k, nc, first, ldb, jc);
            _b = b;
            _dst = dst;
        }

        public void Execute(int part, int parts)
        {
            int nr = TKernel.NR;
            int panels = ((_nc + nr - 1) / nr * nr - _first) / nr;
            int start = _first + (int)((long)panels * part / parts) * nr, end = _first + (int)((long)panels * (part + 1) / parts) * nr;
            if (start < end) PackB(_transB, _k, _nc, start, end, _b, _ldb, _jc, _dst);
        }
    }

    private sealed class Job : IParallelJob
    {
        private bool _transA, _directB, _accumulate;
        private int _m, _nc, _k, _lda, _ldb, _ldc;
        private float* _a, _b, _packedB, _c, _bias;
        public bool SplitRows;

        public void Set(bool transA, bool directB, int m, int nc, int k, float* a, int lda, float* b, int ldb, float* packedB, float* c, int ldc,
            bool accumulate, float* bias)
        {
            _bias = bias;
            (_transA, _directB, _m, _nc, _k, _lda, _ldb, _ldc, _accumulate) = (transA, directB, m, nc, k, lda, ldb, ldc, accumulate);
            _a = a;
            _b = b;
            _packedB = packedB;
            _c = c;
        }

        public void Execute(int part, int parts)
        {
            int mr = TKernel.MR, nr = TKernel.NR;
            int panelsM = (_m + mr - 1) / mr, panelsN = (_nc + nr - 1) / nr;
            int i0 = 0, i1 = _m, j0 = 0, j1 = _nc;
            if (SplitRows)
            {
                i0 = Math.Min(_m, (int)((long)panelsM * part / parts) * mr);
                i1 = Math.Min(_m, (int)((long)panelsM * (part + 1) / parts) * mr);
            }
            else
            {
                j0 = Math.Min(_nc, (int)((long)panelsN * part / parts) * nr);
                j1 = Math.Min(_nc, (int)((long)panelsN * (part + 1) / parts) * nr);
            }
            if (i0 >= i1 || j0 >= j1) return;
            Compute(i0, i1, j0, j1);
        }

        private void Compute(int i0, int i1, int j0, int j1)
        {
            int mr = TKernel.MR;
            var packedA = Rent(ref _packedA, MC * KC + mr * KC);
            float* tile = stackalloc float[mr * TKernel.NR];
            fixed (float* pa = packedA)
            {
                // Reuse of each A panel across many B panels pays for packing it (and avoids rows that alias in cache).
                if ((_nc + TKernel.NR - 1) / TKernel.NR >= 8 || Aliases(_lda)) ComputePackedA(i0, i1, j0, j1, pa, tile);
                else ComputeInPlaceA(i0, i1, j0, j1, pa + (long)MC * KC, tile);
            }
        }

        // For each KC slice: pack MC rows of A, then sweep every B panel of the slice with one A micro-panel
        // (MR x KC, in L1) before moving to the next; partial panels (zero-padded rows or columns) go through the tile.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void ComputePackedA(int i0, int i1, int j0, int j1, float* pa, float* tile)
        {
            int mr = TKernel.MR, nr = TKernel.NR;
            int ncPadded = (_nc + nr - 1) / nr * nr;
            for (int k0 = 0; k0 < _k; k0 += KC)
            {
                int kc = Math.Min(KC, _k - k0);
                bool add = _accumulate || k0 > 0;
                float* bias = k0 + kc == _k ? _bias : null;   // the bias goes on with the last slice
                float* blockB = _packedB + (long)k0 * ncPadded;
                for (int ic = i0; ic < i1; ic += MC)
                {
                    int mc = Math.Min(MC, i1 - ic);
                    for (int ir = 0; ir < mc; ir += mr)
                        PackPanelA(_transA, ic + ir, Math.Min(mr, mc - ir), k0, kc, _a, _lda, pa + (long)ir * kc);
                    for (int ir = 0; ir < mc; ir += mr)
                    {
                        int rows = Math.Min(mr, mc - ir);
                        float* panelA = pa + (long)ir * kc;
                        for (int jr = j0; jr < j1; jr += nr)
                        {
                            int cols = Math.Min(nr, j1 - jr);
                            float* panelB = PanelB(jr, k0, kc, blockB, out int bStride);
                            float* cTile = _c + (long)(ic + ir) * _ldc + jr;
                            if (rows == mr && cols == nr) TKernel.Run(kc, panelA, mr, panelB, bStride, cTile, _ldc, add);
                            else
                            {
                                TKernel.Run(kc, panelA, mr, panelB, bStride, tile, nr, false);
                                Scatter(tile, rows, cols, cTile, add);
                            }
                            if (bias != null) AddBias(cTile, rows, cols, _ldc, bias + jr);
                        }
                    }
                }
            }
        }

        // A read in place: MR-row panels through row pointers (or columns of transposed A), then EdgeMR-row panels,
        // then the last few rows packed into one zero-padded panel.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void ComputeInPlaceA(int i0, int i1, int j0, int j1, float* leftoverPanel, float* tile)
        {
            int mr = TKernel.MR, nr = TKernel.NR, er = TEdge.MR;
            int ncPadded = (_nc + nr - 1) / nr * nr;
            for (int ic = i0; ic < i1; ic += MC)
            {
                int mc = Math.Min(MC, i1 - ic);
                int fullRows = mc / mr * mr;
                int edgeRows = (mc - fullRows) / er * er;
                int leftover = mc - fullRows - edgeRows;
                for (int k0 = 0; k0 < _k; k0 += KC)
                {
                    int kc = Math.Min(KC, _k - k0);
                    bool add = _accumulate || k0 > 0;
                    float* bias = k0 + kc == _k ? _bias : null;   // the bias goes on with the last slice
                    if (leftover > 0) PackPanelA(_transA, ic + fullRows + edgeRows, leftover, k0, kc, _a, _lda, leftoverPanel);
                    float* blockB = _packedB + (long)k0 * ncPadded;
                    for (int jr = j0; jr < j1; jr += nr)
                    {
                        int cols = Math.Min(nr, j1 - jr);
                        float* panelB = PanelB(jr, k0, kc, blockB, out int bStride);
                        InPlaceRows<TKernel>(ic, 0, fullRows, k0, kc, panelB, bStride, jr, cols, add, bias, tile);
                        InPlaceRows<TEdge>(ic, fullRows, fullRows + edgeRows, k0, kc, panelB, bStride, jr, cols, add, bias, tile);
                        if (leftover > 0)
                        {
                            float* cTile = _c + (long)(ic + fullRows + edgeRows) * _ldc + jr;
                            TKernel.Run(kc, leftoverPanel, mr, panelB, bStride, tile, nr, false);
                            Scatter(tile, leftover, cols, cTile, add);
                            if (bias != null) AddBias(cTile, leftover, cols, _ldc, bias + jr);
                        }
                    }
                }
            }
        }

        // The B panel at column jr of the KC slice starting at k0: read in place when B is plain and the panel is
        // whole, otherwise from the packed slice.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private float* PanelB(int jr, int k0, int kc, float* blockB, out int stride)
        {
            int nr = TKernel.NR;
            bool direct = _directB && jr + nr <= _nc;
            stride = direct ? _ldb : nr;
            return direct ? _b + (long)k0 * _ldb + jr : blockB + (long)jr * kc;
        }

        // Rows [from, to) of the MC block in panels of TRows.MR, A read in place: through row pointers, or down the
        // columns of transposed A. A partial column panel goes through the tile.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void InPlaceRows<TRows>(int ic, int from, int to, int k0, int kc, float* panelB, int bStride, int jr, int cols, bool add,
            float* bias, float* tile)
            where TRows : struct, IMicroKernel
        {
            int rows = TRows.MR, nr = TKernel.NR;
            bool fullCols = cols == nr;
            for (int ir = from; ir < to; ir += rows)
            {
                int row = ic + ir;
                float* cTile = _c + (long)row * _ldc + jr;
                float* target = fullCols ? cTile : tile;
                int ldTarget = fullCols ? _ldc : nr;
                bool addTarget = fullCols && add;
                if (_transA) TRows.Run(kc, _a + (long)k0 * _lda + row, _lda, panelB, bStride, target, ldTarget, addTarget);
                else TRows.RunRowMajorA(kc, _a + (long)row * _lda + k0, _lda, panelB, bStride, target, ldTarget, addTarget);
                if (!fullCols) Scatter(tile, rows, cols, cTile, add);
                if (bias != null) AddBias(cTile, rows, cols, _ldc, bias + jr);
            }
        }

        // C[rows, cols] (= or +=) tile[rows, cols] with the tile's leading dimension NR.
        private void Scatter(float* tile, int rows, int cols, float* cTile, bool add)
        {
            int nr = TKernel.NR;
            for (int x = 0; x < rows; x++)
            {
                float* dst = cTile + (long)x * _ldc;
                float* src = tile + x * nr;
                if (add) for (int y = 0; y < cols; y++) dst[y] += src[y];
                else for (int y = 0; y < cols; y++) dst[y] = src[y];
            }
        }
    }
}
