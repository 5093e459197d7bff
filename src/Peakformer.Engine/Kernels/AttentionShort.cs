using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
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

    public static void Run(AttentionShape a, float* qkv, float* output, float* lse, float* dOutput, float* dqkv, WorkerPool pool)
    {
        var job = _job ??= new Job();
        job.Set(a, qkv, output, lse, dOutput, dqkv);
        int items = a.Batch * a.Heads;
        pool.Run(job, items < 64 ? 1 : Math.Min(pool.Threads, items));
    }

    private sealed class Job : IParallelJob
    {
        private AttentionShape _a;
        private float* _qkv, _out, _lse, _dOut, _dqkv;

        public void Set(AttentionShape a, float* qkv, float* output, float* lse, float* dOutput, float* dqkv)
        {
            _a = a;
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
                if (_dqkv != null) Backward(_a, b, h, _qkv, _lse, _dOut, _dqkv, work);
                else Forward(_a, b, h, _qkv, _out, _lse, work);
            }
        }
    }

    /// <summary>columnsT[d] = lanes i of x[b, i, column + d] (zero in lanes i ≥ L), through 16 x 16 transposes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ToLanes(float* x, int rowStride, int b, int L, int column, int Dh, Vector512<float>* rows, Vector512<float>* columnsT)
    {
        for (int c0 = 0; c0 < Dh; c0 += 16)
        {
            for (int i = 0; i < 16; i++)
                rows[i] = i < L ? Vector512.Load(x + (long)(b * L + i) * rowStride + column + c0) : Vector512<float>.Zero;
            Transpose16.Run(rows, columnsT + c0);
        }
    }

    /// <summary>Rows i &lt; L of a lane-layout tile written to (or added into) x[b, i, column ..].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FromLanes(Vector512<float>* columnsT, int Dh, Vector512<float>* rows, float* x, int rowStride, int b, int L, int column, bool add)
    {
        for (int c0 = 0; c0 < Dh; c0 += 16)
        {
            Transpose16.Run(columnsT + c0, rows);
            for (int i = 0; i < L; i++)
            {
                float* dst = x + (long)(b * L + i) * rowStride + column + c0;
                Vector512.Store(add ? Vector512.Load(dst) + rows[i] : rows[i], dst);
            }
        }
    }

    /// <summary>s[j] = scale * K_j · Q^T over query lanes; masked keys get -inf in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scores(AttentionShape a, int b, float* qkv, int h, Vector512<float>* qT, Vector512<float>* s)
    {
        int L = a.Length, D = a.Model, Dh = a.HeadDim;
        var scale = Vector512.Create(a.Scale);
        for (int j = 0; j < L; j++)
        {
            if (a.Masked(b, j))
            {
                s[j] = Vector512.Create(float.NegativeInfinity);
                continue;
            }
            float* k = qkv + (long)(b * L + j) * 3 * D + D + h * Dh;
            s[j] = scale * RowDotLanes(k, qT, Dh);
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

    /// <summary>Dropout factors of key j for all query lanes: element (b, h, i, j) has index RowIndex(b, h, 0) + i L + j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> KeepFactors(in DropoutMask mask, Vector512<uint> laneIndex, uint rowBase, int j) =>
        mask.Factors(laneIndex + Vector512.Create(rowBase + (uint)j));

    /// <summary>i * L for each lane i: the offsets of the query rows in the dropout index space.</summary>
    private static Vector512<uint> LaneIndex(int length) =>
        Vector512.Create(0u, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) * Vector512.Create((uint)length);

    private static void Forward(AttentionShape a, int b, int h, float* qkv, float* output, float* lse, Vector512<float>* work)
    {
        int L = a.Length, D = a.Model, Dh = a.HeadDim;
        Vector512<float>* qT = work;                     // [Dh] query columns over lanes
        Vector512<float>* oT = qT + MaxHeadDim;          // [Dh] outputs over lanes
        Vector512<float>* s = oT + MaxHeadDim;           // [L] per-key scores, then weights
        Vector512<float>* rows = s + MaxLength;          // [16] transpose scratch
        ToLanes(qkv, 3 * D, b, L, h * Dh, Dh, rows, qT);
        Scores(a, b, qkv, h, qT, s);
        var max = s[0];
        for (int j = 1; j < L; j++) max = Vector512.Max(max, s[j]);
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
        var rowLse = Vector512.ConditionalSelect(dead, Vector512.Create(float.NegativeInfinity), safeMax + Vector512.Log(sum));
        float* lseRow = lse + (long)(b * a.Heads + h) * L;
        for (int i = 0; i < L; i++) lseRow[i] = rowLse[i];
        var mask = a.DropMask;
        uint rowBase = a.RowIndex(b, h, 0);
        var laneIndex = LaneIndex(L);
        for (int j = 0; j < L; j++) s[j] = a.Dropping ? s[j] * inv * KeepFactors(mask, laneIndex, rowBase, j) : s[j] * inv;
        // O^T[d] = Σ_j p_j V[j, d]
        for (int d = 0; d < Dh; d++) oT[d] = Vector512<float>.Zero;
        for (int j = 0; j < L; j++)
        {
            float* v = qkv + (long)(b * L + j) * 3 * D + 2 * D + h * Dh;
            var pj = s[j];
            for (int d = 0; d < Dh; d++) oT[d] = Vector512.FusedMultiplyAdd(Vector512.Create(v[d]), pj, oT[d]);
        }
        FromLanes(oT, Dh, rows, output, D, b, L, h * Dh, add: false);
    }

    private static void Backward(AttentionShape a, int b, int h, float* qkv, float* lse, float* dOutput, float* dqkv, Vector512<float>* work)
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
        // Pass 1: weights, gradients of the weights, and dO_i . O_i = Σ_j p_ij z_ij (dO_i . v_j) without reading O.
        var rowDot = Vector512<float>.Zero;
        for (int j = 0; j < L; j++)
        {
            p[j] = FastMath.Exp(p[j] - lseV);
            z[j] = a.Dropping ? KeepFactors(mask, laneIndex, rowBase, j) : Vector512<float>.One;
            g[j] = z[j] * RowDotLanes(qkv + (long)(b * L + j) * 3 * D + 2 * D + h * Dh, doT, Dh);
            rowDot = Vector512.FusedMultiplyAdd(p[j], g[j], rowDot);
        }
        // Pass 2: score gradients; p becomes the applied weight p z.
        var scale = Vector512.Create(a.Scale);
        for (int j = 0; j < L; j++)
        {
            ds[j] = p[j] * (g[j] - rowDot) * scale;
            p[j] *= z[j];
        }
        // dQ^T[d] = Σ_j ds_j K[j, d], added into dqkv's query rows.
        for (int d = 0; d < Dh; d++) dqT[d] = Vector512<float>.Zero;
        for (int j = 0; j < L; j++)
        {
            float* k = qkv + (long)(b * L + j) * 3 * D + D + h * Dh;
            var dsj = ds[j];
            for (int d = 0; d < Dh; d++) dqT[d] = Vector512.FusedMultiplyAdd(Vector512.Create(k[d]), dsj, dqT[d]);
        }
        FromLanes(dqT, Dh, rows, dqkv, 3 * D, b, L, h * Dh, add: true);
        // dK[j, :] = Σ_i ds_j[i] Q[i, :]; dV[j, :] = Σ_i (p z)_j[i] dO[i, :]: each lane broadcast against a contiguous row.
        for (int j = 0; j < L; j++)
        {
            float* dkRow = dqkv + (long)(b * L + j) * 3 * D + D + h * Dh;
            float* dvRow = dkRow + D;
            float* dsj = (float*)(ds + j);
            float* pj = (float*)(p + j);
            for (int d0 = 0; d0 < Dh; d0 += 16)
            {
                var dk = Vector512.Load(dkRow + d0);
                var dv = Vector512.Load(dvRow + d0);
                for (int i = 0; i < L; i++)
                {
                    dk = Vector512.FusedMultiplyAdd(Vector512.Create(dsj[i]), Vector512.Load(qkv + (long)(b * L + i) * 3 * D + h * Dh + d0), dk);
                    dv = Vector512.FusedMultiplyAdd(Vector512.Create(pj[i]), Vector512.Load(dOutput + (long)(b * L + i) * D + h * Dh + d0), dv);
                }
                dk.Store(dkRow + d0);
                dv.Store(dvRow + d0);
            }
        }
    }
}
