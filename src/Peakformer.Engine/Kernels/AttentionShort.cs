using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Peakformer.Engine.Threading;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// Attention for sequences that fit in one Vector512 (L ≤ 16, e.g. the 15-sample windows) and head sizes that are
/// multiples of 16. The query index runs across the vector lanes, so for each key j the scores of all queries form
/// one vector: softmax over keys is a vertical max/exp/sum with no horizontal reductions. Tiles move between row
/// and lane layout with in-register 16 x 16 transposes. Same results and saved log-sum-exp as the row kernel up to
/// rounding.
/// </summary>
internal static unsafe class AttentionShort
{
    public const int MaxLength = 16;
    private const int MaxHeadDim = 64;

    [ThreadStatic] private static Job? _job;

    public static bool Supports(AttentionShape a) => a.Length <= MaxLength && a.HeadDim <= MaxHeadDim && a.HeadDim % 16 == 0;

    /// <summary>
    /// Forward when dqkv is null, else backward: the gradient is added into dqkv when accumulate is set, otherwise
    /// written over it (every element is written, so a new buffer needs no zeroing).
    /// </summary>
    public static void Run(AttentionShape a, float* qkv, float* output, float* lse, float* dOutput, float* dqkv, bool accumulate, WorkerPool pool)
    {
        var job = _job ??= new Job();
        job.Set(a, qkv, output, lse, dOutput, dqkv, accumulate);
        int items = a.Batch * a.Heads;
        pool.Run(job, items < 64 ? 1 : Math.Min(pool.Threads, items));
    }

    private sealed class Job : IParallelJob
    {
        private AttentionShape _a;
        private float* _qkv, _out, _lse, _dOut, _dqkv;
        private bool _accumulate;

        public void Set(AttentionShape a, float* qkv, float* output, float* lse, float* dOutput, float* dqkv, bool accumulate)
        {
            _a = a;
            _accumulate = accumulate;
            _qkv = qkv;
            _out = output;
            _lse = lse;
            _dOut = dOutput;
            _dqkv = dqkv;
        }

        public void Execute(int part, int parts)
        {
            int items = _a.Batch * _a.Heads;
            int start = (int)((long)items * part / parts), end = (int)((long)items * (part + 1) / parts);
            Vector512<float>* work = stackalloc Vector512<float>[3 * MaxHeadDim + 6 * MaxLength];
            for (int item = start; item < end; item++)
            {
                int b = item / _a.Heads, h = item % _a.Heads;
                if (_dqkv != null) Backward(in _a, b, h, _qkv, _lse, _dOut, _dqkv, _accumulate, work);
                else Forward(in _a, b, h, _qkv, _out, _lse, work);
            }
        }
    }

    /// <summary>columnsT[d] = lanes i of x[b, i, column + d] (zero in lanes i ≥ L), through 16 x 16 transposes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ToLanes(float* x, int rowStride, int b, int L, int column, int Dh, Vector512<float>* rows, Vector512<float>* columnsT)
    {
        float* first = x + (long)b * L * rowStride + column;
        for (int c0 = 0; c0 < Dh; c0 += 16)
        {
            float* src = first + c0;
            for (int i = 0; i < L; i++, src += rowStride) rows[i] = Vector512.Load(src);
            for (int i = L; i < 16; i++) rows[i] = Vector512<float>.Zero;
            Transpose16.Run(rows, columnsT + c0);
        }
    }

    /// <summary>Rows i &lt; L of a lane-layout tile written to (or added into) x[b, i, column ..].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FromLanes(Vector512<float>* columnsT, int Dh, Vector512<float>* rows, float* x, int rowStride, int b, int L, int column, bool add)
    {
        float* first = x + (long)b * L * rowStride + column;
        for (int c0 = 0; c0 < Dh; c0 += 16)
        {
            Transpose16.Run(columnsT + c0, rows);
            float* dst = first + c0;
            if (add) for (int i = 0; i < L; i++, dst += rowStride) Vector512.Store(Vector512.Load(dst) + rows[i], dst);
            else for (int i = 0; i < L; i++, dst += rowStride) Vector512.Store(rows[i], dst);
        }
    }

    /// <summary>s[j] = scale * K_j · Q^T over query lanes; masked keys get -inf in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scores(in AttentionShape a, int b, float* qkv, int h, Vector512<float>* qT, Vector512<float>* s)
    {
        int L = a.Length, D = a.Model, Dh = a.HeadDim;
        var scale = Vector512.Create(a.Scale);
        RowsDotLanes(qkv + (long)b * L * 3 * D + D + h * Dh, 3 * D, L, qT, Dh, s);
        for (int j = 0; j < L; j++) s[j] = a.Masked(b, j) ? Vector512.Create(float.NegativeInfinity) : scale * s[j];
    }

    /// <summary>result[j] = RowDotLanes(rows + j stride, columnsT, Dh) for j &lt; L.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowsDotLanes(float* rows, int stride, int L, Vector512<float>* columnsT, int Dh, Vector512<float>* result)
    {
        if (Dh == 16)
        {
            RowsDotLanes16(rows, stride, L, columnsT, result);
            return;
        }
        for (int j = 0; j < L; j++) result[j] = RowDotLanes(rows + (long)j * stride, columnsT, Dh);
    }

    /// <summary>
    /// result[j] = RowDotLanes(rows + j stride, columnsT, 16) for j &lt; L, bit for bit, with the sixteen columns held
    /// in registers for all rows (the general loop reloads them and pays its loop overhead for every two multiply-adds).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowsDotLanes16(float* rows, int stride, int L, Vector512<float>* columnsT, Vector512<float>* result)
    {
        Vector512<float> c0 = columnsT[0], c1 = columnsT[1], c2 = columnsT[2], c3 = columnsT[3];
        Vector512<float> c4 = columnsT[4], c5 = columnsT[5], c6 = columnsT[6], c7 = columnsT[7];
        Vector512<float> c8 = columnsT[8], c9 = columnsT[9], c10 = columnsT[10], c11 = columnsT[11];
        Vector512<float> c12 = columnsT[12], c13 = columnsT[13], c14 = columnsT[14], c15 = columnsT[15];
        for (int j = 0; j < L; j++, rows += stride)
        {
            var even = Vector512.FusedMultiplyAdd(Vector512.Create(rows[0]), c0, Vector512<float>.Zero);
            var odd = Vector512.FusedMultiplyAdd(Vector512.Create(rows[1]), c1, Vector512<float>.Zero);
            even = Vector512.FusedMultiplyAdd(Vector512.Create(rows[2]), c2, even);
            odd = Vector512.FusedMultiplyAdd(Vector512.Create(rows[3]), c3, odd);
            even = Vector512.FusedMultiplyAdd(Vector512.Create(rows[4]), c4, even);
            odd = Vector512.FusedMultiplyAdd(Vector512.Create(rows[5]), c5, odd);
            even = Vector512.FusedMultiplyAdd(Vector512.Create(rows[6]), c6, even);
            odd = Vector512.FusedMultiplyAdd(Vector512.Create(rows[7]), c7, odd);
            even = Vector512.FusedMultiplyAdd(Vector512.Create(rows[8]), c8, even);
            odd = Vector512.FusedMultiplyAdd(Vector512.Create(rows[9]), c9, odd);
            even = Vector512.FusedMultiplyAdd(Vector512.Create(rows[10]), c10, even);
            odd = Vector512.FusedMultiplyAdd(Vector512.Create(rows[11]), c11, odd);
            even = Vector512.FusedMultiplyAdd(Vector512.Create(rows[12]), c12, even);
            odd = Vector512.FusedMultiplyAdd(Vector512.Create(rows[13]), c13, odd);
            even = Vector512.FusedMultiplyAdd(Vector512.Create(rows[14]), c14, even);
            odd = Vector512.FusedMultiplyAdd(Vector512.Create(rows[15]), c15, odd);
            result[j] = even + odd;
        }
    }

    /// <summary>Σ_d row[d] columnsT[d]: one row against a lane-layout tile (two chains to hide FMA latency).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> RowDotLanes(float* row, Vector512<float>* columnsT, int Dh)
    {
        Vector512<float> acc0 = Vector512<float>.Zero, acc1 = Vector512<float>.Zero;
        for (int d = 0; d < Dh; d += 2)
        {
            acc0 = Vector512.FusedMultiplyAdd(Vector512.Create(row[d]), columnsT[d], acc0);
            acc1 = Vector512.FusedMultiplyAdd(Vector512.Create(row[d + 1]), columnsT[d + 1], acc1);
        }
        return acc0 + acc1;
    }

    /// <summary>
    /// outT[d] = Σ_j weights[j] rows[j, d] over lanes, j in order: sixteen columns at a time in sixteen register
    /// accumulators (a loop over d kept them in memory, a load and a store around every multiply-add).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WeightedRows(Vector512<float>* weights, float* rows, int rowStride, int L, int Dh, Vector512<float>* outT)
    {
        for (int c0 = 0; c0 < Dh; c0 += 16)
        {
            Vector512<float> o0 = default, o1 = default, o2 = default, o3 = default, o4 = default, o5 = default, o6 = default, o7 = default;
            Vector512<float> o8 = default, o9 = default, o10 = default, o11 = default, o12 = default, o13 = default, o14 = default, o15 = default;
            float* r = rows + c0;
            for (int j = 0; j < L; j++, r += rowStride)
            {
                var w = weights[j];
                o0 = Vector512.FusedMultiplyAdd(Vector512.Create(r[0]), w, o0);
                o1 = Vector512.FusedMultiplyAdd(Vector512.Create(r[1]), w, o1);
                o2 = Vector512.FusedMultiplyAdd(Vector512.Create(r[2]), w, o2);
                o3 = Vector512.FusedMultiplyAdd(Vector512.Create(r[3]), w, o3);
                o4 = Vector512.FusedMultiplyAdd(Vector512.Create(r[4]), w, o4);
                o5 = Vector512.FusedMultiplyAdd(Vector512.Create(r[5]), w, o5);
                o6 = Vector512.FusedMultiplyAdd(Vector512.Create(r[6]), w, o6);
                o7 = Vector512.FusedMultiplyAdd(Vector512.Create(r[7]), w, o7);
                o8 = Vector512.FusedMultiplyAdd(Vector512.Create(r[8]), w, o8);
                o9 = Vector512.FusedMultiplyAdd(Vector512.Create(r[9]), w, o9);
                o10 = Vector512.FusedMultiplyAdd(Vector512.Create(r[10]), w, o10);
                o11 = Vector512.FusedMultiplyAdd(Vector512.Create(r[11]), w, o11);
                o12 = Vector512.FusedMultiplyAdd(Vector512.Create(r[12]), w, o12);
                o13 = Vector512.FusedMultiplyAdd(Vector512.Create(r[13]), w, o13);
                o14 = Vector512.FusedMultiplyAdd(Vector512.Create(r[14]), w, o14);
                o15 = Vector512.FusedMultiplyAdd(Vector512.Create(r[15]), w, o15);
            }
            Vector512<float>* o = outT + c0;
            o[0] = o0; o[1] = o1; o[2] = o2; o[3] = o3; o[4] = o4; o[5] = o5; o[6] = o6; o[7] = o7;
            o[8] = o8; o[9] = o9; o[10] = o10; o[11] = o11; o[12] = o12; o[13] = o13; o[14] = o14; o[15] = o15;
        }
    }

    /// <summary>Dropout factors of key j for all query lanes: element (b, h, i, j) has index RowIndex(b, h, 0) + i L + j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> KeepFactors(in DropoutMask mask, Vector512<uint> laneIndex, uint rowBase, int j) =>
        mask.Factors(laneIndex + Vector512.Create(rowBase + (uint)j));

    /// <summary>i * L for each lane i: the offsets of the query rows in the dropout index space.</summary>
    private static Vector512<uint> LaneIndex(int length) =>
        Vector512.Create(0u, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) * Vector512.Create((uint)length);

    private static void Forward(in AttentionShape a, int b, int h, float* qkv, float* output, float* lse, Vector512<float>* work)
    {
        int L = a.Length, D = a.Model, Dh = a.HeadDim;
        Vector512<float>* qT = work;                     // [Dh] query columns over lanes
        Vector512<float>* oT = qT + MaxHeadDim;          // [Dh] outputs over lanes
        Vector512<float>* s = oT + MaxHeadDim;           // [L] per-key scores, then weights
        Vector512<float>* rows = s + MaxLength;          // [16] transpose scratch
        ToLanes(qkv, 3 * D, b, L, h * Dh, Dh, rows, qT);
        Scores(a, b, qkv, h, qT, s);
        var max = s[0];
        for (int j = 1; j < L; j++) max = Avx512F.Max(max, s[j]);   // vmaxps: Vector512.Max adds IEEE NaN and -0 fix-ups
        // Lanes whose keys are all masked have max = -inf: make their weights 0 instead of NaN.
        var dead = Vector512.Equals(max, Vector512.Create(float.NegativeInfinity));
        var safeMax = Vector512.ConditionalSelect(dead, Vector512<float>.Zero, max);
        var sum = Vector512<float>.Zero;
        for (int j = 0; j < L; j++)
        {
            s[j] = FastMath.Exp(s[j] - safeMax);
            sum += s[j];
        }
        var inv = Vector512.ConditionalSelect(dead, Vector512<float>.Zero, Vector512<float>.One / sum);
        var rowLse = Vector512.ConditionalSelect(dead, Vector512.Create(float.NegativeInfinity), safeMax + FastMath.Log(sum));
        float* lseRow = lse + (long)(b * a.Heads + h) * L;
        for (int i = 0; i < L; i++) lseRow[i] = rowLse[i];
        var mask = a.DropMask;
        uint rowBase = a.RowIndex(b, h, 0);
        var laneIndex = LaneIndex(L);
        for (int j = 0; j < L; j++) s[j] = a.Dropping ? s[j] * inv * KeepFactors(mask, laneIndex, rowBase, j) : s[j] * inv;
        // O^T[d] = Σ_j p_j V[j, d]
        WeightedRows(s, qkv + (long)b * L * 3 * D + 2 * D + h * Dh, 3 * D, L, Dh, oT);
        FromLanes(oT, Dh, rows, output, D, b, L, h * Dh, add: false);
    }

    private static void Backward(in AttentionShape a, int b, int h, float* qkv, float* lse, float* dOutput, float* dqkv, bool accumulate, Vector512<float>* work)
    {
        int L = a.Length, D = a.Model, Dh = a.HeadDim;
        Vector512<float>* qT = work;                      // [Dh] Q columns over lanes
        Vector512<float>* doT = qT + MaxHeadDim;          // [Dh] dO columns over lanes
        Vector512<float>* dqT = doT + MaxHeadDim;         // [Dh] dQ columns over lanes
        Vector512<float>* p = dqT + MaxHeadDim;           // [L] weights before dropout
        Vector512<float>* g = p + MaxLength;              // [L] z * (dO_i . v_j)
        Vector512<float>* z = g + MaxLength;              // [L] dropout factors
        Vector512<float>* ds = z + MaxLength;             // [L] score gradients
        Vector512<float>* rows = ds + MaxLength;          // [16] transpose scratch
        ToLanes(qkv, 3 * D, b, L, h * Dh, Dh, rows, qT);
        ToLanes(dOutput, D, b, L, h * Dh, Dh, rows, doT);
        Scores(a, b, qkv, h, qT, p);
        float* lseRow = lse + (long)(b * a.Heads + h) * L;
        Span<float> lseLanes = stackalloc float[16];
        for (int i = 0; i < 16; i++) lseLanes[i] = i < L && !float.IsNegativeInfinity(lseRow[i]) ? lseRow[i] : float.PositiveInfinity;
        var lseV = Vector512.Create((ReadOnlySpan<float>)lseLanes); // +inf makes dead or padded lanes exp(-inf) = 0
        var mask = a.DropMask;
        uint rowBase = a.RowIndex(b, h, 0);
        var laneIndex = LaneIndex(L);
        // Pass 1: weights and gradients of the weights, then dO_i . O_i = Σ_j p_ij z_ij (dO_i . v_j) without reading O
        // (in a loop of its own: inside the first its accumulator was spilled to memory on every key).
        RowsDotLanes(qkv + (long)b * L * 3 * D + 2 * D + h * Dh, 3 * D, L, doT, Dh, g);
        for (int j = 0; j < L; j++)
        {
            p[j] = FastMath.Exp(p[j] - lseV);
            z[j] = a.Dropping ? KeepFactors(mask, laneIndex, rowBase, j) : Vector512<float>.One;
            g[j] *= z[j];
        }
        var rowDot = Vector512<float>.Zero;
        for (int j = 0; j < L; j++) rowDot = Vector512.FusedMultiplyAdd(p[j], g[j], rowDot);
        // Pass 2: score gradients; p becomes the applied weight p z.
        var scale = Vector512.Create(a.Scale);
        for (int j = 0; j < L; j++)
        {
            ds[j] = p[j] * (g[j] - rowDot) * scale;
            p[j] *= z[j];
        }
        // dQ^T[d] = Σ_j ds_j K[j, d], added into dqkv's query rows.
        WeightedRows(ds, qkv + (long)b * L * 3 * D + D + h * Dh, 3 * D, L, Dh, dqT);
        FromLanes(dqT, Dh, rows, dqkv, 3 * D, b, L, h * Dh, add: accumulate);
        // dK[j, :] += Σ_i ds_j[i] Q[i, :]; dV[j, :] += Σ_i (p z)_j[i] dO[i, :]: each lane broadcast against a contiguous row.
        float* dsLanes = (float*)ds, pzLanes = (float*)p;
        for (int d0 = 0; d0 < Dh; d0 += 16)
        {
            float* qRows = qkv + (long)b * L * 3 * D + h * Dh + d0;
            float* dORows = dOutput + (long)b * L * D + h * Dh + d0;
            float* dkRows = dqkv + (long)b * L * 3 * D + D + h * Dh + d0;
            int j = 0;
            for (; j + 4 <= L; j += 4)
                KeyGradients4(L, qRows, dORows, D, dsLanes + 16 * j, pzLanes + 16 * j, dkRows + (long)j * 3 * D, accumulate);
            if (j < L && !accumulate && L >= 4)
            {
                // Written, not added: the last four keys as one group, recomputing (and rewriting) a few already done.
                j = L - 4;
                KeyGradients4(L, qRows, dORows, D, dsLanes + 16 * j, pzLanes + 16 * j, dkRows + (long)j * 3 * D, accumulate);
                j = L;
            }
            for (; j < L; j++)
                KeyGradients1(L, qRows, dORows, D, dsLanes + 16 * j, pzLanes + 16 * j, dkRows + (long)j * 3 * D, accumulate);
        }
    }

    /// <summary>
    /// Keys j..j+3 of the dK/dV update: the four keys share every loaded row of Q and dO, and their eight independent
    /// chains hide the multiply-add latency that one key's two chains exposed. Rows of qkv (and dqkv) are 3D apart,
    /// rows of dO D apart; a key's dV sits D after its dK. Each key's lanes are 16 floats after the previous key's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void KeyGradients4(int L, float* q, float* dO, int D, float* ds, float* pz, float* dk, bool accumulate)
    {
        long stride = 3L * D;
        Vector512<float> k0 = default, k1 = default, k2 = default, k3 = default, v0 = default, v1 = default, v2 = default, v3 = default;
        if (accumulate)
        {
            k0 = Vector512.Load(dk); k1 = Vector512.Load(dk + stride);
            k2 = Vector512.Load(dk + 2 * stride); k3 = Vector512.Load(dk + 3 * stride);
            v0 = Vector512.Load(dk + D); v1 = Vector512.Load(dk + stride + D);
            v2 = Vector512.Load(dk + 2 * stride + D); v3 = Vector512.Load(dk + 3 * stride + D);
        }
        // ds and pz advance by one lane per query, so every broadcast has a constant offset.
        for (int i = 0; i < L; i++, q += stride, dO += D, ds++, pz++)
        {
            var qi = Vector512.Load(q);
            var oi = Vector512.Load(dO);
            k0 = Vector512.FusedMultiplyAdd(Vector512.Create(ds[0]), qi, k0);
            k1 = Vector512.FusedMultiplyAdd(Vector512.Create(ds[16]), qi, k1);
            k2 = Vector512.FusedMultiplyAdd(Vector512.Create(ds[32]), qi, k2);
            k3 = Vector512.FusedMultiplyAdd(Vector512.Create(ds[48]), qi, k3);
            v0 = Vector512.FusedMultiplyAdd(Vector512.Create(pz[0]), oi, v0);
            v1 = Vector512.FusedMultiplyAdd(Vector512.Create(pz[16]), oi, v1);
            v2 = Vector512.FusedMultiplyAdd(Vector512.Create(pz[32]), oi, v2);
            v3 = Vector512.FusedMultiplyAdd(Vector512.Create(pz[48]), oi, v3);
        }
        k0.Store(dk); k1.Store(dk + stride); k2.Store(dk + 2 * stride); k3.Store(dk + 3 * stride);
        v0.Store(dk + D); v1.Store(dk + stride + D); v2.Store(dk + 2 * stride + D); v3.Store(dk + 3 * stride + D);
    }

    /// <summary>One key of the dK/dV update (the keys left over after groups of four).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void KeyGradients1(int L, float* q, float* dO, int D, float* ds, float* pz, float* dk, bool accumulate)
    {
        long stride = 3L * D;
        var k = accumulate ? Vector512.Load(dk) : Vector512<float>.Zero;
        var v = accumulate ? Vector512.Load(dk + D) : Vector512<float>.Zero;
        for (int i = 0; i < L; i++, q += stride, dO += D)
        {
            k = Vector512.FusedMultiplyAdd(Vector512.Create(ds[i]), Vector512.Load(q), k);
            v = Vector512.FusedMultiplyAdd(Vector512.Create(pz[i]), Vector512.Load(dO), v);
        }
        k.Store(dk);
        v.Store(dk + D);
    }
}
