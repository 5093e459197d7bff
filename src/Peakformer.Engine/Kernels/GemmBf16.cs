using System.Runtime.CompilerServices;
using Peakformer.Engine.Threading;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// The bfloat16 matrix product C (= or +=) op(A) op(B) (+ bias): op(A) packed into MR-row panels of floats rounded to
/// bfloat16 (kept as float32 so the kernel broadcasts them straight from memory), op(B) into 2 W-column panels stored as
/// bfloat16 (half the bytes of float32), widened in the kernel and summed by float32 fused multiply-adds. Each element
/// is computed by one thread in KC-deep slices (each from zero, then added into C), the order of
/// <see cref="GemmBf16Reference"/>, so results depend neither on the thread count nor on the split.
/// </summary>
internal static unsafe class GemmBf16<TLanes, TV> where TLanes : struct, IBf16Lanes<TV> where TV : struct
{
    private const int MR = GemmBf16Blocking.MR;
    private const int KC = GemmBf16Blocking.KC;
    private static int W => TLanes.Width;
    private static int NR => 2 * TLanes.Width;

    [ThreadStatic] private static float[]? _packedA;
    [ThreadStatic] private static uint[]? _packedB;
    [ThreadStatic] private static Job? _job;

    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate, WorkerPool pool, float* bias)
    {
        if (m == 0 || n == 0) return;
        int panelsM = (m + MR - 1) / MR, panelsN = (n + NR - 1) / NR;
        if (k == 0)
        {
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    float* target = c + (long)i * ldc + j;
                    *target = (accumulate ? *target : 0f) + (bias == null ? 0f : bias[j]);
                }
            return;
        }
        var packedA = Rent(ref _packedA, (long)panelsM * MR * k);
        var packedB = Rent(ref _packedB, (long)panelsN * W * k);
        fixed (float* pa = packedA)
        fixed (uint* pb = packedB)
        {
            for (int ip = 0; ip < panelsM; ip++) PackA(transA, ip * MR, Math.Min(MR, m - ip * MR), k, a, lda, pa + (long)ip * MR * k);
            for (int jp = 0; jp < panelsN; jp++) PackB(transB, jp * NR, Math.Min(NR, n - jp * NR), k, b, ldb, pb + (long)jp * W * k);
            var job = _job ??= new Job();
            job.Set(m, n, k, pa, pb, c, ldc, accumulate, bias);
            int parts = Math.Min(pool.Threads, Math.Max(panelsM, panelsN));
            // Tiny problems stay on one thread: waking another costs more than it saves.
            if ((long)m * n * k < 64 * 64 * 64) parts = 1;
            job.SplitRows = panelsM >= panelsN;
            pool.Run(job, parts);
        }
    }

    private static T[] Rent<T>(ref T[]? slot, long length) where T : unmanaged
    {
        if (slot is null || slot.Length < length) slot = GC.AllocateUninitializedArray<T>(checked((int)length) + 16, pinned: true);
        return slot;
    }

    // Panel of op(A) rows i0..i0+rows-1, k-major (element (p, x) at p MR + x), zero-padded to MR rows.
    private static void PackA(bool transA, int i0, int rows, int k, float* a, int lda, float* panel)
    {
        if (transA)
            for (int p = 0; p < k; p++)
            {
                float* src = a + (long)p * lda + i0;
                for (int x = 0; x < rows; x++) panel[p * MR + x] = BFloat16.Round(src[x]);
            }
        else
            for (int x = 0; x < rows; x++)
            {
                float* src = a + (long)(i0 + x) * lda;
                for (int p = 0; p < k; p++) panel[p * MR + x] = BFloat16.Round(src[p]);
            }
        for (int x = rows; x < MR; x++)
            for (int p = 0; p < k; p++) panel[p * MR + x] = 0f;
    }

    // Panel of op(B) columns j0..j0+cols-1: row p is W words at p W, word x = column x | column x + W << 16.
    private static void PackB(bool transB, int j0, int cols, int k, float* b, int ldb, uint* panel)
    {
        if (!transB && cols == NR)
        {
            for (int p = 0; p < k; p++)
            {
                float* src = b + (long)p * ldb + j0;
                TLanes.Pack(src, src + W, panel + (long)p * W);
            }
            return;
        }
        // Transposed or partial panels one bfloat16 at a time into their halves of the words (little-endian: column x
        // of the first W is the low half of word x), reading along B's contiguous direction; padding columns stay zero.
        ushort* halves = (ushort*)panel;
        int w = W;
        if (cols < NR) new Span<uint>(panel, w * k).Clear();
        if (transB)
            for (int x = 0; x < cols; x++)
            {
                float* src = b + (long)(j0 + x) * ldb;
                ushort* dst = halves + 2 * (x % w) + x / w;
                for (int p = 0; p < k; p++) dst[(long)p * 2 * w] = BFloat16.FromFloat(src[p]);
            }
        else
            for (int p = 0; p < k; p++)
            {
                float* src = b + (long)p * ldb + j0;
                ushort* dst = halves + (long)p * 2 * w;
                for (int x = 0; x < cols; x++) dst[2 * (x % w) + x / w] = BFloat16.FromFloat(src[x]);
            }
    }

    /// <summary>C[MR, 2 W] (= or +=) the kc-deep product of a packed A slice and a packed B slice.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(int kc, float* a, uint* b, float* c, int ldc, bool accumulate)
    {
        TV c0l = TLanes.Zero, c0h = TLanes.Zero, c1l = TLanes.Zero, c1h = TLanes.Zero;
        TV c2l = TLanes.Zero, c2h = TLanes.Zero, c3l = TLanes.Zero, c3h = TLanes.Zero;
        TV c4l = TLanes.Zero, c4h = TLanes.Zero, c5l = TLanes.Zero, c5h = TLanes.Zero;
        TV c6l = TLanes.Zero, c6h = TLanes.Zero, c7l = TLanes.Zero, c7h = TLanes.Zero;
        int w = TLanes.Width;
        for (int p = 0; p < kc; p++, a += MR, b += w)
        {
            TLanes.Widen(b, out var lo, out var hi);
            var x = TLanes.Broadcast(a[0]); c0l = TLanes.Fma(x, lo, c0l); c0h = TLanes.Fma(x, hi, c0h);
            x = TLanes.Broadcast(a[1]); c1l = TLanes.Fma(x, lo, c1l); c1h = TLanes.Fma(x, hi, c1h);
            x = TLanes.Broadcast(a[2]); c2l = TLanes.Fma(x, lo, c2l); c2h = TLanes.Fma(x, hi, c2h);
            x = TLanes.Broadcast(a[3]); c3l = TLanes.Fma(x, lo, c3l); c3h = TLanes.Fma(x, hi, c3h);
            x = TLanes.Broadcast(a[4]); c4l = TLanes.Fma(x, lo, c4l); c4h = TLanes.Fma(x, hi, c4h);
            x = TLanes.Broadcast(a[5]); c5l = TLanes.Fma(x, lo, c5l); c5h = TLanes.Fma(x, hi, c5h);
            x = TLanes.Broadcast(a[6]); c6l = TLanes.Fma(x, lo, c6l); c6h = TLanes.Fma(x, hi, c6h);
            x = TLanes.Broadcast(a[7]); c7l = TLanes.Fma(x, lo, c7l); c7h = TLanes.Fma(x, hi, c7h);
        }
        StoreRow(c0l, c0h, c, accumulate);
        StoreRow(c1l, c1h, c + ldc, accumulate);
        StoreRow(c2l, c2h, c + 2 * ldc, accumulate);
        StoreRow(c3l, c3h, c + 3 * ldc, accumulate);
        StoreRow(c4l, c4h, c + 4 * ldc, accumulate);
        StoreRow(c5l, c5h, c + 5 * ldc, accumulate);
        StoreRow(c6l, c6h, c + 6 * ldc, accumulate);
        StoreRow(c7l, c7h, c + 7 * ldc, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(TV low, TV high, float* c, bool accumulate)
    {
        int w = TLanes.Width;
        if (accumulate)
        {
            low = TLanes.Add(TLanes.Load(c), low);
            high = TLanes.Add(TLanes.Load(c + w), high);
        }
        TLanes.Store(low, c);
        TLanes.Store(high, c + w);
    }

    private sealed class Job : IParallelJob
    {
        private int _m, _n, _k, _ldc;
        private bool _accumulate;
        private float* _a, _c, _bias;
        private uint* _b;
        public bool SplitRows;

        public void Set(int m, int n, int k, float* a, uint* b, float* c, int ldc, bool accumulate, float* bias)
        {
            (_m, _n, _k, _ldc, _accumulate) = (m, n, k, ldc, accumulate);
            _a = a;
            _b = b;
            _c = c;
            _bias = bias;
        }

        public void Execute(int part, int parts)
        {
            int panelsM = (_m + MR - 1) / MR, panelsN = (_n + NR - 1) / NR;
            int ip0 = 0, ip1 = panelsM, jp0 = 0, jp1 = panelsN;
            if (SplitRows) (ip0, ip1) = ((int)((long)panelsM * part / parts), (int)((long)panelsM * (part + 1) / parts));
            else (jp0, jp1) = ((int)((long)panelsN * part / parts), (int)((long)panelsN * (part + 1) / parts));
            if (ip0 < ip1 && jp0 < jp1) Compute(ip0, ip1, jp0, jp1);
        }

        // For each KC slice, each B panel slice (in L1) against every A panel slice; partial tiles through a tile on the stack.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Compute(int ip0, int ip1, int jp0, int jp1)
        {
            float* tile = stackalloc float[MR * 2 * Vector512Floats];
            int nr = NR, w = W;
            for (int k0 = 0; k0 < _k; k0 += KC)
            {
                int kc = Math.Min(KC, _k - k0);
                bool add = _accumulate || k0 > 0;
                bool last = k0 + kc == _k;
                for (int jp = jp0; jp < jp1; jp++)
                {
                    int j = jp * nr, cols = Math.Min(nr, _n - j);
                    uint* panelB = _b + (long)jp * w * _k + (long)k0 * w;
                    for (int ip = ip0; ip < ip1; ip++)
                    {
                        int i = ip * MR, rows = Math.Min(MR, _m - i);
                        float* panelA = _a + (long)ip * MR * _k + (long)k0 * MR;
                        float* cTile = _c + (long)i * _ldc + j;
                        if (rows == MR && cols == nr) Kernel(kc, panelA, panelB, cTile, _ldc, add);
                        else
                        {
                            Kernel(kc, panelA, panelB, tile, nr, false);
                            for (int x = 0; x < rows; x++)
                                for (int y = 0; y < cols; y++)
                                {
                                    float* target = cTile + (long)x * _ldc + y;
                                    *target = add ? *target + tile[x * nr + y] : tile[x * nr + y];
                                }
                        }
                        if (last && _bias != null)
                            for (int x = 0; x < rows; x++)
                                for (int y = 0; y < cols; y++) cTile[(long)x * _ldc + y] += _bias[j + y];
                    }
                }
            }
        }

        private const int Vector512Floats = 16;
    }
}
