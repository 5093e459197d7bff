using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Peakformer.Engine.Threading;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// Attention for sequences that fit in one Vector512 (L ≤ 16, e.g. the 15-sample windows). The query index runs
/// across the vector lanes, so for each key j the scores of all queries form one vector: softmax over keys is
/// then a vertical max/exp/sum with no horizontal reductions and no per-row bookkeeping.
/// Same results and saved log-sum-exp as <see cref="AttentionFast{S, TV}"/> up to rounding.
/// </summary>
internal static unsafe class AttentionShort
{
    public const int MaxLength = 16;
    private const int MaxHeadDim = 64;

    [ThreadStatic] private static Job? _job;

    public static bool Supports(AttentionShape a) => a.Length <= MaxLength && a.HeadDim <= MaxHeadDim;

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
            // Per-thread scratch on the stack: transposed Q (or dO) and per-key vectors, at most 64 x 16 floats each.
            Vector512<float>* work = stackalloc Vector512<float>[4 * MaxHeadDim + 4 * MaxLength];
            for (int item = start; item < end; item++)
            {
                int b = item / _a.Heads, h = item % _a.Heads;
                if (_dqkv != null) Backward(_a, b, h, _qkv, _out, _lse, _dOut, _dqkv, work);
                else Forward(_a, b, h, _qkv, _out, _lse, work);
            }
        }
    }

    // columnsT[d] = lanes i of x[b, i, column + d] (zero in lanes i ≥ L).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadTransposed(float* x, int rowStride, int b, int L, int column, int Dh, Vector512<float>* columnsT)
    {
        float* t = (float*)columnsT;
        new Span<float>(t, Dh * 16).Clear();
        for (int i = 0; i < L; i++)
        {
            float* row = x + (long)(b * L + i) * rowStride + column;
            for (int d = 0; d < Dh; d++) t[d * 16 + i] = row[d];
        }
    }

    /// <summary>s[j] = scale * K_j · Q^T over query lanes; padded and masked keys get -inf in every lane.</summary>
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
            Vector512<float> acc0 = Vector512<float>.Zero, acc1 = Vector512<float>.Zero;
            int d = 0;
            for (; d + 1 < Dh; d += 2)
            {
                acc0 = Vector512.FusedMultiplyAdd(Vector512.Create(k[d]), qT[d], acc0);
                acc1 = Vector512.FusedMultiplyAdd(Vector512.Create(k[d + 1]), qT[d + 1], acc1);
            }
            if (d < Dh) acc0 = Vector512.FusedMultiplyAdd(Vector512.Create(k[d]), qT[d], acc0);
            s[j] = (acc0 + acc1) * scale;
        }
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
        Vector512<float>* s = work + MaxHeadDim;         // [L] per-key scores, then weights
        Vector512<float>* oT = s + MaxLength;            // [Dh] outputs over lanes
        LoadTransposed(qkv, 3 * D, b, L, h * Dh, Dh, qT);
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
        for (int d = 0; d < Dh; d++)
        {
            Vector512<float> acc0 = Vector512<float>.Zero, acc1 = Vector512<float>.Zero;
            int j = 0;
            for (; j + 1 < L; j += 2)
            {
                acc0 = Vector512.FusedMultiplyAdd(Vector512.Create(qkv[(long)(b * L + j) * 3 * D + 2 * D + h * Dh + d]), s[j], acc0);
                acc1 = Vector512.FusedMultiplyAdd(Vector512.Create(qkv[(long)(b * L + j + 1) * 3 * D + 2 * D + h * Dh + d]), s[j + 1], acc1);
            }
            if (j < L) acc0 = Vector512.FusedMultiplyAdd(Vector512.Create(qkv[(long)(b * L + j) * 3 * D + 2 * D + h * Dh + d]), s[j], acc0);
            oT[d] = acc0 + acc1;
        }
        float* o = (float*)oT;
        for (int i = 0; i < L; i++)
        {
            float* outRow = output + (long)(b * L + i) * D + h * Dh;
            for (int d = 0; d < Dh; d++) outRow[d] = o[d * 16 + i];
        }
    }

    private static void Backward(AttentionShape a, int b, int h, float* qkv, float* output, float* lse, float* dOutput, float* dqkv, Vector512<float>* work)
    {
        int L = a.Length, D = a.Model, Dh = a.HeadDim;
        Vector512<float>* qT = work;                      // [Dh]
        Vector512<float>* doT = work + MaxHeadDim;        // [Dh] dO columns over lanes
        Vector512<float>* dqT = doT + MaxHeadDim;         // [Dh]
        Vector512<float>* oT = dqT + MaxHeadDim;          // [Dh]
        Vector512<float>* p = oT + MaxHeadDim;            // [L] weights (after dropout)
        Vector512<float>* ds = p + MaxLength;             // [L] score gradients
        LoadTransposed(qkv, 3 * D, b, L, h * Dh, Dh, qT);
        LoadTransposed(dOutput, D, b, L, h * Dh, Dh, doT);
        LoadTransposed(output, D, b, L, h * Dh, Dh, oT);
        Scores(a, b, qkv, h, qT, p);
        float* lseRow = lse + (long)(b * a.Heads + h) * L;
        Span<float> lseLanes = stackalloc float[16];
        for (int i = 0; i < 16; i++) lseLanes[i] = i < L && !float.IsNegativeInfinity(lseRow[i]) ? lseRow[i] : float.PositiveInfinity;
        var lseV = Vector512.Create((ReadOnlySpan<float>)lseLanes); // +inf makes dead or padded lanes exp(-inf) = 0
        var rowDot = Vector512<float>.Zero;
        for (int d = 0; d < Dh; d++) rowDot = Vector512.FusedMultiplyAdd(doT[d], oT[d], rowDot);
        var scale = Vector512.Create(a.Scale);
        var mask = a.DropMask;
        uint rowBase = a.RowIndex(b, h, 0);
        var laneIndex = LaneIndex(L);
        for (int j = 0; j < L; j++)
        {
            var pj = FastMath.Exp(p[j] - lseV);
            float* v = qkv + (long)(b * L + j) * 3 * D + 2 * D + h * Dh;
            Vector512<float> g0 = Vector512<float>.Zero, g1 = Vector512<float>.Zero;
            int d = 0;
            for (; d + 1 < Dh; d += 2)
            {
                g0 = Vector512.FusedMultiplyAdd(Vector512.Create(v[d]), doT[d], g0);
                g1 = Vector512.FusedMultiplyAdd(Vector512.Create(v[d + 1]), doT[d + 1], g1);
            }
            if (d < Dh) g0 = Vector512.FusedMultiplyAdd(Vector512.Create(v[d]), doT[d], g0);
            var z = a.Dropping ? KeepFactors(mask, laneIndex, rowBase, j) : Vector512<float>.One;
            ds[j] = pj * (z * (g0 + g1) - rowDot) * scale;
            p[j] = pj * z;
        }
        // dQ^T[d] = Σ_j ds_j K[j, d]
        for (int d = 0; d < Dh; d++) dqT[d] = Vector512<float>.Zero;
        for (int j = 0; j < L; j++)
        {
            float* k = qkv + (long)(b * L + j) * 3 * D + D + h * Dh;
            var dsj = ds[j];
            for (int d = 0; d < Dh; d++) dqT[d] = Vector512.FusedMultiplyAdd(Vector512.Create(k[d]), dsj, dqT[d]);
        }
        float* dq = (float*)dqT;
        for (int i = 0; i < L; i++)
        {
            float* row = dqkv + (long)(b * L + i) * 3 * D + h * Dh;
            for (int d = 0; d < Dh; d++) row[d] += dq[d * 16 + i];
        }
        // dK[j, :] = Σ_i ds_j[i] Q[i, :]; dV[j, :] = Σ_i p_j[i] dO[i, :].
        if (Dh % 16 == 0)
        {
            // Broadcast each lane's coefficient against the contiguous rows of Q and dO.
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
            return;
        }
        // Other head sizes: dot products across the query lanes.
        float* qTf = (float*)qT;
        float* doTf = (float*)doT;
        for (int j = 0; j < L; j++)
        {
            float* dkRow = dqkv + (long)(b * L + j) * 3 * D + D + h * Dh;
            float* dvRow = dkRow + D;
            var dsj = ds[j];
            var pj = p[j];
            for (int d = 0; d < Dh; d++)
            {
                dkRow[d] += Vector512.Sum(dsj * Vector512.Load(qTf + d * 16));
                dvRow[d] += Vector512.Sum(pj * Vector512.Load(doTf + d * 16));
            }
        }
    }
}
