using System.Runtime.CompilerServices;
using Peakformer.Engine.Threading;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// Cache-blocked matrix multiply in the BLIS loop order: B is packed in NR-wide column panels
/// (kept in L1 by the micro-kernel), A in MR-high row panels of an MC x KC block (kept in L2).
/// Each element of C is computed by one thread in a fixed k order, so the result does not
/// depend on the thread count.
/// </summary>
internal static unsafe class GemmPacked<TKernel> where TKernel : struct, IMicroKernel
{
    private static readonly int KC = int.Parse(Environment.GetEnvironmentVariable("PF_KC") ?? "256");
    private static readonly int MC = int.Parse(Environment.GetEnvironmentVariable("PF_MC") ?? "192");
    private const int NC = 4096;

    [ThreadStatic] private static float[]? _packedA;
    [ThreadStatic] private static float[]? _packedB;
    [ThreadStatic] private static Job? _job;

    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, WorkerPool pool)
    {
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate)
                for (int i = 0; i < m; i++) new Span<float>(c + (long)i * ldc, n).Clear();
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
                PackB(transB, k, nc, b, ldb, jc, pb);
                var job = _job ??= new Job();
                job.Set(transA, m, nc, k, a, lda, pb, c + jc, ldc, accumulate);
                int panelsM = (m + mr - 1) / mr, panelsN = ncPadded / nr;
                int parts = Math.Min(pool.Threads, Math.Max(panelsM, panelsN));
                // Split along whichever side has more panels; tiny problems stay on one thread.
                if ((long)m * nc * k < 64 * 64 * 64) parts = 1;
                job.SplitRows = panelsM >= panelsN || panelsM >= 2 * parts;
                pool.Run(job, parts);
            }
        }
    }

    private static float[] Rent(ref float[]? slot, int length)
    {
        if (slot is null || slot.Length < length) slot = GC.AllocateUninitializedArray<float>(length + 16, pinned: true);
        return slot;
    }

    // Packed B: for each KC block of rows (base k0 * ncPadded), NR-wide panels of kc rows each.
    private static void PackB(bool transB, int k, int nc, float* b, int ldb, int jc, float* dst)
    {
        int nr = TKernel.NR;
        int ncPadded = (nc + nr - 1) / nr * nr;
        for (int k0 = 0; k0 < k; k0 += KC)
        {
            int kc = Math.Min(KC, k - k0);
            float* block = dst + (long)k0 * ncPadded;
            for (int j0 = 0; j0 < nc; j0 += nr)
            {
                float* panel = block + (long)j0 * kc;
                int cols = Math.Min(nr, nc - j0);
                if (!transB)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* src = b + (long)(k0 + p) * ldb + jc + j0;
                        float* d = panel + p * nr;
                        new ReadOnlySpan<float>(src, cols).CopyTo(new Span<float>(d, cols));
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

    // Packed A: MR-high panels of an mc x kc block, k-major inside each panel.
    private static void PackA(bool transA, int i0, int mc, int k0, int kc, float* a, int lda, float* dst)
    {
        int mr = TKernel.MR;
        for (int r0 = 0; r0 < mc; r0 += mr)
        {
            float* panel = dst + (long)r0 * kc;
            int rows = Math.Min(mr, mc - r0);
            if (transA)
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = a + (long)(k0 + p) * lda + i0 + r0;
                    float* d = panel + p * mr;
                    for (int x = 0; x < rows; x++) d[x] = src[x];
                    for (int x = rows; x < mr; x++) d[x] = 0f;
                }
            }
            else
            {
                for (int x = 0; x < rows; x++)
                {
                    float* src = a + (long)(i0 + r0 + x) * lda + k0;
                    for (int p = 0; p < kc; p++) panel[p * mr + x] = src[p];
                }
                for (int x = rows; x < mr; x++)
                    for (int p = 0; p < kc; p++) panel[p * mr + x] = 0f;
            }
        }
    }

    private sealed class Job : IParallelJob
    {
        private bool _transA, _accumulate;
        private int _m, _nc, _k, _lda, _ldc;
        private float* _a, _packedB, _c;
        public bool SplitRows;

        public void Set(bool transA, int m, int nc, int k, float* a, int lda, float* packedB, float* c, int ldc, bool accumulate)
        {
            (_transA, _m, _nc, _k, _lda, _ldc, _accumulate) = (transA, m, nc, k, lda, ldc, accumulate);
            _a = a;
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

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Compute(int i0, int i1, int j0, int j1)
        {
            int mr = TKernel.MR, nr = TKernel.NR;
            int ncPadded = (_nc + nr - 1) / nr * nr;
            var packedA = Rent(ref _packedA, MC * KC + 16);
            float* tile = stackalloc float[mr * nr];
            fixed (float* pa = packedA)
            {
                for (int ic = i0; ic < i1; ic += MC)
                {
                    int mc = Math.Min(MC, i1 - ic);
                    for (int k0 = 0; k0 < _k; k0 += KC)
                    {
                        int kc = Math.Min(KC, _k - k0);
                        bool add = _accumulate || k0 > 0;
                        PackA(_transA, ic, mc, k0, kc, _a, _lda, pa);
                        float* blockB = _packedB + (long)k0 * ncPadded;
                        for (int jr = j0; jr < j1; jr += nr)
                        {
                            int cols = Math.Min(nr, j1 - jr);
                            float* panelB = blockB + (long)jr * kc;
                            for (int ir = 0; ir < mc; ir += mr)
                            {
                                int rows = Math.Min(mr, mc - ir);
                                float* panelA = pa + (long)ir * kc;
                                float* cTile = _c + (long)(ic + ir) * _ldc + jr;
                                if (rows == mr && cols == nr)
                                {
                                    TKernel.Run(kc, panelA, panelB, cTile, _ldc, add);
                                }
                                else
                                {
                                    TKernel.Run(kc, panelA, panelB, tile, nr, false);
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
                    }
                }
            }
        }
    }
}
