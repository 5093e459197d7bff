using System.Runtime.CompilerServices;
using Peakformer.Engine.Threading;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// Fused multi-head attention, one (batch, head) pair per work item. Scores are computed a few query rows at a
/// time against a transposed copy of K, so memory is O(L * Dh) per thread, never L x L. The backward pass
/// recomputes each row's weights from the saved log-sum-exp (as FlashAttention does) and regenerates the
/// dropout mask from its counter-based hash.
/// </summary>
internal static unsafe class AttentionFast<S, TV> where S : struct, ISimd<TV> where TV : struct
{
    private const int RowBlock = 4;

    [ThreadStatic] private static float[]? _scratch;
    [ThreadStatic] private static Job? _job;

    public static void Forward(AttentionShape a, float* qkv, float* output, float* lse, WorkerPool pool) =>
        Run(a, qkv, output, lse, null, null, pool);

    public static void Backward(AttentionShape a, float* qkv, float* output, float* lse, float* dOutput, float* dqkv, WorkerPool pool) =>
        Run(a, qkv, output, lse, dOutput, dqkv, pool);

    private static void Run(AttentionShape a, float* qkv, float* output, float* lse, float* dOutput, float* dqkv, WorkerPool pool)
    {
        var job = _job ??= new Job();
        job.Set(a, qkv, output, lse, dOutput, dqkv);
        // Small problems are not worth waking a second thread.
        int parts = (long)a.Batch * a.Heads * a.Length * a.Length * a.HeadDim < 1 << 16 ? 1 : Math.Min(pool.Threads, a.Batch * a.Heads);
        pool.Run(job, parts);
    }

    private static int Round(int n) => (n + S.Width - 1) / S.Width * S.Width;

    private static float* Scratch(int floats)
    {
        if (_scratch is null || _scratch.Length < floats + 16) _scratch = GC.AllocateUninitializedArray<float>(floats + 16, pinned: true);
        fixed (float* p = _scratch)
            return (float*)(((nint)p + 63) & ~(nint)63);
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
            for (int item = start; item < end; item++)
            {
                int b = item / _a.Heads, h = item % _a.Heads;
                if (_dqkv != null) BackwardHead(_a, b, h, _qkv, _out, _lse, _dOut, _dqkv);
                else ForwardHead(_a, b, h, _qkv, _out, _lse);
            }
        }
    }

    /// <summary>Rows i0..i0+count-1 (count ≤ 4) of x[i] · columns, scaled: out[r * Lp + j] = scale Σ_d x_r[d] ct[d, j].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowsTimesColumns(float** x, int count, float* ct, int rows, int Lp, float scale, float* output)
    {
        int W = S.Width;
        var sc = S.Broadcast(scale);
        if (count == RowBlock)
        {
            float* x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
            for (int jb = 0; jb < Lp; jb += W)
            {
                TV a0 = S.Zero, a1 = S.Zero, a2 = S.Zero, a3 = S.Zero;
                for (int d = 0; d < rows; d++)
                {
                    var k = S.Load(ct + d * Lp + jb);
                    a0 = S.Fma(S.Broadcast(x0[d]), k, a0);
                    a1 = S.Fma(S.Broadcast(x1[d]), k, a1);
                    a2 = S.Fma(S.Broadcast(x2[d]), k, a2);
                    a3 = S.Fma(S.Broadcast(x3[d]), k, a3);
                }
                S.Store(S.Mul(a0, sc), output + jb);
                S.Store(S.Mul(a1, sc), output + Lp + jb);
                S.Store(S.Mul(a2, sc), output + 2 * Lp + jb);
                S.Store(S.Mul(a3, sc), output + 3 * Lp + jb);
            }
            return;
        }
        for (int r = 0; r < count; r++)
        {
            float* xr = x[r];
            for (int jb = 0; jb < Lp; jb += W)
            {
                TV a0 = S.Zero, a1 = S.Zero;
                int d = 0;
                for (; d + 1 < rows; d += 2)
                {
                    a0 = S.Fma(S.Broadcast(xr[d]), S.Load(ct + d * Lp + jb), a0);
                    a1 = S.Fma(S.Broadcast(xr[d + 1]), S.Load(ct + (d + 1) * Lp + jb), a1);
                }
                if (d < rows) a0 = S.Fma(S.Broadcast(xr[d]), S.Load(ct + d * Lp + jb), a0);
                S.Store(S.Mul(S.Add(a0, a1), sc), output + r * Lp + jb);
            }
        }
    }

    /// <summary>Puts -inf at padded positions (j ≥ L) and at masked keys.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaskRow(AttentionShape a, int b, float* s, int Lp)
    {
        for (int j = a.Length; j < Lp; j++) s[j] = float.NegativeInfinity;
        if (a.Mask is null) return;
        for (int j = 0; j < a.Length; j++)
            if (a.Masked(b, j)) s[j] = float.NegativeInfinity;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardHead(AttentionShape a, int b, int h, float* qkv, float* output, float* lse)
    {
        int W = S.Width, L = a.Length, D = a.Model, Dh = a.HeadDim;
        int Lp = Round(L), Dp = Round(Dh);
        float* kt = Scratch(Dh * Lp + L * Dp + RowBlock * Lp + Lp + Dp);
        float* v = kt + Dh * Lp;
        float* s = v + L * Dp;
        float* z = s + RowBlock * Lp;
        float* o = z + Lp;
        GatherTransposed(qkv, b, L, D, h * Dh + D, Dh, Lp, kt);
        GatherRows(qkv, b, L, D, h * Dh + 2 * D, Dh, Dp, v);
        var dropMask = a.DropMask;
        for (int j = L; j < Lp; j++) z[j] = 0f;
        float** q = stackalloc float*[RowBlock];
        for (int i0 = 0; i0 < L; i0 += RowBlock)
        {
            int count = Math.Min(RowBlock, L - i0);
            for (int r = 0; r < count; r++) q[r] = qkv + (long)(b * L + i0 + r) * 3 * D + h * Dh;
            RowsTimesColumns(q, count, kt, Dh, Lp, a.Scale, s);
            for (int r = 0; r < count; r++)
            {
                int i = i0 + r;
                float* sr = s + r * Lp;
                float* outRow = output + (long)(b * L + i) * D + h * Dh;
                MaskRow(a, b, sr, Lp);
                var maxV = S.Load(sr);
                for (int jb = W; jb < Lp; jb += W) maxV = S.Max(maxV, S.Load(sr + jb));
                float max = S.MaxAcross(maxV);
                if (float.IsNegativeInfinity(max))
                {
                    for (int d = 0; d < Dh; d++) outRow[d] = 0f;
                    lse[(long)(b * a.Heads + h) * L + i] = float.NegativeInfinity;
                    continue;
                }
                var m = S.Broadcast(max);
                var sum = S.Zero;
                for (int jb = 0; jb < Lp; jb += W)
                {
                    var e = S.Exp(S.Sub(S.Load(sr + jb), m));
                    S.Store(e, sr + jb);
                    sum = S.Add(sum, e);
                }
                float total = S.Sum(sum);
                lse[(long)(b * a.Heads + h) * L + i] = max + MathF.Log(total);
                var inv = S.Broadcast(1f / total);
                if (a.Dropping)
                {
                    dropMask.Fill(new Span<float>(z, L), a.RowIndex(b, h, i));
                    for (int jb = 0; jb < Lp; jb += W) S.Store(S.Mul(S.Mul(S.Load(sr + jb), inv), S.Load(z + jb)), sr + jb);
                }
                else
                {
                    for (int jb = 0; jb < Lp; jb += W) S.Store(S.Mul(S.Load(sr + jb), inv), sr + jb);
                }
                WeightedSum(sr, v, L, Dp, o);
                new ReadOnlySpan<float>(o, Dh).CopyTo(new Span<float>(outRow, Dh));
            }
        }
    }

    // dst[d * Lp + t] = qkv[b, t, column + d] for d < Dh, t < L; zero for t in [L, Lp).
    private static void GatherTransposed(float* qkv, int b, int L, int D, int column, int Dh, int Lp, float* dst)
    {
        for (int t = 0; t < L; t++)
        {
            float* row = qkv + (long)(b * L + t) * 3 * D + column;
            for (int d = 0; d < Dh; d++) dst[d * Lp + t] = row[d];
        }
        for (int d = 0; d < Dh; d++)
            for (int t = L; t < Lp; t++) dst[d * Lp + t] = 0f;
    }

    // dst[t * Dp + d] = qkv[b, t, column + d], zero for d in [Dh, Dp).
    private static void GatherRows(float* qkv, int b, int L, int D, int column, int Dh, int Dp, float* dst)
    {
        for (int t = 0; t < L; t++)
        {
            new ReadOnlySpan<float>(qkv + (long)(b * L + t) * 3 * D + column, Dh).CopyTo(new Span<float>(dst + t * Dp, Dh));
            for (int d = Dh; d < Dp; d++) dst[t * Dp + d] = 0f;
        }
    }

    // o[0..Dp) = sum_j w[j] * v[j, 0..Dp)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WeightedSum(float* w, float* v, int L, int Dp, float* o)
    {
        int W = S.Width;
        if (Dp == W)
        {
            // Four independent chains hide the FMA latency.
            TV a0 = S.Zero, a1 = S.Zero, a2 = S.Zero, a3 = S.Zero;
            int j = 0;
            for (; j <= L - 4; j += 4)
            {
                a0 = S.Fma(S.Broadcast(w[j]), S.Load(v + j * W), a0);
                a1 = S.Fma(S.Broadcast(w[j + 1]), S.Load(v + (j + 1) * W), a1);
                a2 = S.Fma(S.Broadcast(w[j + 2]), S.Load(v + (j + 2) * W), a2);
                a3 = S.Fma(S.Broadcast(w[j + 3]), S.Load(v + (j + 3) * W), a3);
            }
            for (; j < L; j++) a0 = S.Fma(S.Broadcast(w[j]), S.Load(v + j * W), a0);
            S.Store(S.Add(S.Add(a0, a1), S.Add(a2, a3)), o);
            return;
        }
        for (int dv = 0; dv < Dp; dv += W)
        {
            TV a0 = S.Zero, a1 = S.Zero;
            int j = 0;
            for (; j + 1 < L; j += 2)
            {
                a0 = S.Fma(S.Broadcast(w[j]), S.Load(v + j * Dp + dv), a0);
                a1 = S.Fma(S.Broadcast(w[j + 1]), S.Load(v + (j + 1) * Dp + dv), a1);
            }
            if (j < L) a0 = S.Fma(S.Broadcast(w[j]), S.Load(v + j * Dp + dv), a0);
            S.Store(S.Add(a0, a1), o + dv);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardHead(AttentionShape a, int b, int h, float* qkv, float* output, float* lse, float* dOutput, float* dqkv)
    {
        int W = S.Width, L = a.Length, D = a.Model, Dh = a.HeadDim;
        int Lp = Round(L), Dp = Round(Dh);
        float* kt = Scratch(2 * Dh * Lp + 4 * L * Dp + 2 * RowBlock * Lp + 2 * Lp + 2 * Dp);
        float* vt = kt + Dh * Lp;
        float* krow = vt + Dh * Lp;
        float* qrow = krow + L * Dp;
        float* dk = qrow + L * Dp;
        float* dv = dk + L * Dp;
        float* s = dv + L * Dp;          // RowBlock rows of weights
        float* dp = s + RowBlock * Lp;   // RowBlock rows of dO . v_j
        float* z = dp + RowBlock * Lp;   // dropout factors of one row
        float* ds = z + Lp;              // per-key score gradients of one row
        float* dorow = ds + Lp;
        float* dq = dorow + Dp;
        GatherTransposed(qkv, b, L, D, h * Dh + D, Dh, Lp, kt);
        GatherTransposed(qkv, b, L, D, h * Dh + 2 * D, Dh, Lp, vt);
        GatherRows(qkv, b, L, D, h * Dh + D, Dh, Dp, krow);
        GatherRows(qkv, b, L, D, h * Dh, Dh, Dp, qrow);
        new Span<float>(dk, 2 * L * Dp).Clear();
        var dropMask = a.DropMask;
        for (int j = 0; j < Lp; j++) z[j] = j < L ? 1f : 0f;
        float** q = stackalloc float*[RowBlock];
        float** g = stackalloc float*[RowBlock];
        for (int i0 = 0; i0 < L; i0 += RowBlock)
        {
            int count = Math.Min(RowBlock, L - i0);
            for (int r = 0; r < count; r++)
            {
                q[r] = qrow + (i0 + r) * Dp;
                g[r] = dOutput + (long)(b * L + i0 + r) * D + h * Dh;
            }
            RowsTimesColumns(q, count, kt, Dh, Lp, a.Scale, s);
            RowsTimesColumns(g, count, vt, Dh, Lp, 1f, dp);
            for (int r = 0; r < count; r++)
            {
                int i = i0 + r;
                float rowLse = lse[(long)(b * a.Heads + h) * L + i];
                if (float.IsNegativeInfinity(rowLse)) continue;
                float* sr = s + r * Lp;
                float* dpr = dp + r * Lp;
                float* dOutRow = g[r];
                float* outRow = output + (long)(b * L + i) * D + h * Dh;
                MaskRow(a, b, sr, Lp);
                float rowDot = 0;
                for (int d = 0; d < Dh; d++)
                {
                    dorow[d] = dOutRow[d];
                    rowDot += dOutRow[d] * outRow[d];
                }
                for (int d = Dh; d < Dp; d++) dorow[d] = 0f;
                if (a.Dropping) dropMask.Fill(new Span<float>(z, L), a.RowIndex(b, h, i));
                // p = exp(s - lse); ds = p (z dp - rowDot) scale; s becomes p z (the weight applied to v).
                var lseV = S.Broadcast(rowLse);
                var dotV = S.Broadcast(rowDot);
                var scaleV = S.Broadcast(a.Scale);
                for (int jb = 0; jb < Lp; jb += W)
                {
                    var p = S.Exp(S.Sub(S.Load(sr + jb), lseV));
                    var zj = S.Load(z + jb);
                    S.Store(S.Mul(S.Mul(p, S.Sub(S.Mul(zj, S.Load(dpr + jb)), dotV)), scaleV), ds + jb);
                    S.Store(S.Mul(p, zj), sr + jb);
                }
                float* qi = qrow + i * Dp;
                for (int dd = 0; dd < Dp; dd += W)
                {
                    var doV = S.Load(dorow + dd);
                    var qV = S.Load(qi + dd);
                    TV acc0 = S.Zero, acc1 = S.Zero;
                    int j = 0;
                    for (; j < L; j++)
                    {
                        int o = j * Dp + dd;
                        S.Store(S.Fma(S.Broadcast(sr[j]), doV, S.Load(dv + o)), dv + o);
                        var dsV = S.Broadcast(ds[j]);
                        S.Store(S.Fma(dsV, qV, S.Load(dk + o)), dk + o);
                        if ((j & 1) == 0) acc0 = S.Fma(dsV, S.Load(krow + o), acc0);
                        else acc1 = S.Fma(dsV, S.Load(krow + o), acc1);
                    }
                    S.Store(S.Add(acc0, acc1), dq + dd);
                }
                float* dqOut = dqkv + (long)(b * L + i) * 3 * D + h * Dh;
                for (int d = 0; d < Dh; d++) dqOut[d] += dq[d];
            }
        }
        for (int t = 0; t < L; t++)
        {
            float* row = dqkv + (long)(b * L + t) * 3 * D + h * Dh;
            for (int d = 0; d < Dh; d++)
            {
                row[D + d] += dk[t * Dp + d];
                row[2 * D + d] += dv[t * Dp + d];
            }
        }
    }
}
