using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Peakformer.Engine.Threading;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// Attention for sequences that fit in two Vector512 (L ≤ 32: the 15-sample windows, the ViT's 16 patches + class
/// token) and head sizes that are multiples of 16. The query index runs across the vector lanes, so for each key j
/// the scores of all queries form one vector per block of 16 queries: softmax over keys is a vertical max/exp/sum
/// with no horizontal reductions. Tiles move between row and lane layout with in-register 16 x 16 transposes. Each
/// lane sees the same operations in the same order whatever the number of blocks, so L ≤ 16 gives the results it
/// gave when one block was the limit. Same results and saved log-sum-exp as the row kernel up to rounding.
/// Layouts: per-column tiles (qT, oT, ...) are block-major, X[blk * MaxHeadDim + d]; per-key vectors (scores,
/// weights, ...) interleave the blocks, X[j * blocks + blk], so one key's lanes are its L queries in order.
/// </summary>
internal static unsafe class AttentionShort
{
    public const int MaxLength = 32;
    private const int MaxBlocks = MaxLength / 16;
    private const int MaxHeadDim = 64;
    private const int ColumnTile = MaxBlocks * MaxHeadDim;   // one block-major per-column tile
    private const int KeyTile = MaxBlocks * MaxLength;       // one interleaved per-key array

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
            Vector512<float>* work = stackalloc Vector512<float>[3 * ColumnTile + 4 * KeyTile + 16];
            for (int item = start; item < end; item++)
            {
                int b = item / _a.Heads, h = item % _a.Heads;
                if (_dqkv != null) Backward(in _a, b, h, _qkv, _lse, _dOut, _dqkv, _accumulate, work);
                else Forward(in _a, b, h, _qkv, _out, _lse, work);
            }
        }
    }

    private static int Blocks(int L) => (L + 15) / 16;

    /// <summary>Queries of block blk: rows 16 blk .. 16 blk + count.</summary>
    private static int BlockCount(int L, int blk) => Math.Min(16, L - 16 * blk);

    /// <summary>
    /// columnsT[blk * MaxHeadDim + d] = lanes i of x[b, 16 blk + i, column + d] (zero in lanes past L), for every
    /// block, through 16 x 16 transposes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ToLanes(float* x, int rowStride, int b, int L, int column, int Dh, Vector512<float>* rows, Vector512<float>* columnsT)
    {
        for (int blk = 0, blocks = Blocks(L); blk < blocks; blk++)
            ToLanesBlock(x + ((long)b * L + 16 * blk) * rowStride + column, rowStride, BlockCount(L, blk), Dh, rows, columnsT + blk * MaxHeadDim);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ToLanesBlock(float* first, int rowStride, int L, int Dh, Vector512<float>* rows, Vector512<float>* columnsT)
    {
        for (int c0 = 0; c0 < Dh; c0 += 16)
        {
            float* src = first + c0;
            for (int i = 0; i < L; i++, src += rowStride) rows[i] = Vector512.Load(src);
            for (int i = L; i < 16; i++) rows[i] = Vector512<float>.Zero;
            Transpose16.Run(rows, columnsT + c0);
        }
    }

    /// <summary>Rows i &lt; L of a block-major lane-layout tile written to (or added into) x[b, i, column ..].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FromLanes(Vector512<float>* columnsT, int Dh, Vector512<float>* rows, float* x, int rowStride, int b, int L, int column, bool add)
    {
        for (int blk = 0, blocks = Blocks(L); blk < blocks; blk++)
            FromLanesBlock(columnsT + blk * MaxHeadDim, Dh, rows, x + ((long)b * L + 16 * blk) * rowStride + column, rowStride, BlockCount(L, blk), add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FromLanesBlock(Vector512<float>* columnsT, int Dh, Vector512<float>* rows, float* first, int rowStride, int L, bool add)
    {
        for (int c0 = 0; c0 < Dh; c0 += 16)
        {
            Transpose16.Run(columnsT + c0, rows);
            float* dst = first + c0;
            if (add) for (int i = 0; i < L; i++, dst += rowStride) Vector512.Store(Vector512.Load(dst) + rows[i], dst);
            else for (int i = 0; i < L; i++, dst += rowStride) Vector512.Store(rows[i], dst);
        }
    }

    /// <summary>s[j * blocks + blk] = scale * K_j · Q^T over query lanes; masked keys get -inf in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scores(in AttentionShape a, int b, float* qkv, int h, Vector512<float>* qT, Vector512<float>* s)
    {
        int L = a.Length, D = a.Model, Dh = a.HeadDim, blocks = Blocks(L);
        var scale = Vector512.Create(a.Scale);
        RowsDotLanes(qkv + (long)b * L * 3 * D + D + h * Dh, 3 * D, L, qT, Dh, blocks, s);
        for (int j = 0; j < L; j++)
            for (int blk = 0; blk < blocks; blk++)
                s[j * blocks + blk] = a.Masked(b, j) ? Vector512.Create(float.NegativeInfinity) : scale * s[j * blocks + blk];
    }

    /// <summary>result[j * blocks + blk] = RowDotLanes(rows + j stride, columnsT + blk * MaxHeadDim, Dh) for j &lt; L.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowsDotLanes(float* rows, int stride, int L, Vector512<float>* columnsT, int Dh, int blocks, Vector512<float>* result)
    {
        if (blocks == 2)
        {
            for (int j = 0; j < L; j++) RowDotLanes2(rows + (long)j * stride, columnsT, Dh, result + 2 * j);
            return;
        }
        if (Dh == 16)
        {
            RowsDotLanes16(rows, stride, L, columnsT, result);
            return;
        }
        for (int j = 0; j < L; j++) result[j] = RowDotLanes(rows + (long)j * stride, columnsT, Dh);
    }

    /// <summary>RowDotLanes against both blocks at once, each row element broadcast once; per lane the same chains.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowDotLanes2(float* row, Vector512<float>* columnsT, int Dh, Vector512<float>* result)
    {
        Vector512<float> a0 = Vector512<float>.Zero, a1 = Vector512<float>.Zero, b0 = Vector512<float>.Zero, b1 = Vector512<float>.Zero;
        Vector512<float>* second = columnsT + MaxHeadDim;
        for (int d = 0; d < Dh; d += 2)
        {
            var even = Vector512.Create(row[d]);
            var odd = Vector512.Create(row[d + 1]);
            a0 = Vector512.FusedMultiplyAdd(even, columnsT[d], a0);
            a1 = Vector512.FusedMultiplyAdd(odd, columnsT[d + 1], a1);
            b0 = Vector512.FusedMultiplyAdd(even, second[d], b0);
            b1 = Vector512.FusedMultiplyAdd(odd, second[d + 1], b1);
        }
        result[0] = a0 + a1;
        result[1] = b0 + b1;
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
    /// outT[blk * MaxHeadDim + d] = Σ_j weights[j * blocks + blk] rows[j, d] over lanes, for every block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WeightedRows(Vector512<float>* weights, int blocks, float* rows, int rowStride, int L, int Dh, Vector512<float>* outT)
    {
        for (int blk = 0; blk < blocks; blk++) WeightedRowsBlock(weights + blk, blocks, rows, rowStride, L, Dh, outT + blk * MaxHeadDim);
    }

    /// <summary>
    /// outT[d] = Σ_j weights[j * step] rows[j, d] over lanes, j in order: sixteen columns at a time in sixteen register
    /// accumulators (a loop over d kept them in memory, a load and a store around every multiply-add).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WeightedRowsBlock(Vector512<float>* weights, int step, float* rows, int rowStride, int L, int Dh, Vector512<float>* outT)
    {
        for (int c0 = 0; c0 < Dh; c0 += 16)
        {
            Vector512<float> o0 = default, o1 = default, o2 = default, o3 = default, o4 = default, o5 = default, o6 = default, o7 = default;
            Vector512<float> o8 = default, o9 = default, o10 = default, o11 = default, o12 = default, o13 = default, o14 = default, o15 = default;
            float* r = rows + c0;
            for (int j = 0; j < L; j++, r += rowStride)
            {
                var w = weights[j * step];
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
        int L = a.Length, D = a.Model, Dh = a.HeadDim, blocks = Blocks(L);
        Vector512<float>* qT = work;                     // [blocks x MaxHeadDim] query columns over lanes
        Vector512<float>* oT = qT + ColumnTile;          // [blocks x MaxHeadDim] outputs over lanes
        Vector512<float>* s = oT + ColumnTile;           // [L x blocks] per-key scores, then weights
        Vector512<float>* rows = s + KeyTile;            // [16] transpose scratch
        ToLanes(qkv, 3 * D, b, L, h * Dh, Dh, rows, qT);
        Scores(a, b, qkv, h, qT, s);
        var mask = a.DropMask;
        var laneIndex = LaneIndex(L);
        float* lseRow = lse + (long)(b * a.Heads + h) * L;
        for (int blk = 0; blk < blocks; blk++)
        {
            Vector512<float>* sb = s + blk;   // this block's scores, every blocks-th vector
            var max = sb[0];
            for (int j = 1; j < L; j++) max = Avx512F.Max(max, sb[j * blocks]);   // vmaxps: Vector512.Max adds IEEE NaN and -0 fix-ups
            // Lanes whose keys are all masked have max = -inf: make their weights 0 instead of NaN.
            var dead = Vector512.Equals(max, Vector512.Create(float.NegativeInfinity));
            var safeMax = Vector512.ConditionalSelect(dead, Vector512<float>.Zero, max);
            var sum = Vector512<float>.Zero;
            for (int j = 0; j < L; j++)
            {
                sb[j * blocks] = FastMath.Exp(sb[j * blocks] - safeMax);
                sum += sb[j * blocks];
            }
            var inv = Vector512.ConditionalSelect(dead, Vector512<float>.Zero, Vector512<float>.One / sum);
            var rowLse = Vector512.ConditionalSelect(dead, Vector512.Create(float.NegativeInfinity), safeMax + FastMath.Log(sum));
            for (int i = 0, count = BlockCount(L, blk); i < count; i++) lseRow[16 * blk + i] = rowLse[i];
            uint rowBase = a.RowIndex(b, h, 16 * blk);
            for (int j = 0; j < L; j++)
                sb[j * blocks] = a.Dropping ? sb[j * blocks] * inv * KeepFactors(mask, laneIndex, rowBase, j) : sb[j * blocks] * inv;
        }
        // O^T[d] = Σ_j p_j V[j, d]
        WeightedRows(s, blocks, qkv + (long)b * L * 3 * D + 2 * D + h * Dh, 3 * D, L, Dh, oT);
        FromLanes(oT, Dh, rows, output, D, b, L, h * Dh, add: false);
    }

    private static void Backward(in AttentionShape a, int b, int h, float* qkv, float* lse, float* dOutput, float* dqkv, bool accumulate, Vector512<float>* work)
    {
        int L = a.Length, D = a.Model, Dh = a.HeadDim, blocks = Blocks(L), n = L * blocks;
        Vector512<float>* qT = work;                      // [blocks x MaxHeadDim] Q columns over lanes
        Vector512<float>* doT = qT + ColumnTile;          // [blocks x MaxHeadDim] dO columns over lanes
        Vector512<float>* dqT = doT + ColumnTile;         // [blocks x MaxHeadDim] dQ columns over lanes
        Vector512<float>* p = dqT + ColumnTile;           // [L x blocks] weights before dropout
        Vector512<float>* g = p + KeyTile;                // [L x blocks] z * (dO_i . v_j)
        Vector512<float>* z = g + KeyTile;                // [L x blocks] dropout factors
        Vector512<float>* ds = z + KeyTile;               // [L x blocks] score gradients
        Vector512<float>* rows = ds + KeyTile;            // [16] transpose scratch
        ToLanes(qkv, 3 * D, b, L, h * Dh, Dh, rows, qT);
        ToLanes(dOutput, D, b, L, h * Dh, Dh, rows, doT);
        Scores(a, b, qkv, h, qT, p);
        float* lseRow = lse + (long)(b * a.Heads + h) * L;
        Span<float> lseLanes = stackalloc float[16];
        var mask = a.DropMask;
        var laneIndex = LaneIndex(L);
        // Pass 1: weights and gradients of the weights, then dO_i . O_i = Σ_j p_ij z_ij (dO_i . v_j) without reading O
        // (in a loop of its own: inside the first its accumulator was spilled to memory on every key).
        RowsDotLanes(qkv + (long)b * L * 3 * D + 2 * D + h * Dh, 3 * D, L, doT, Dh, blocks, g);
        var scale = Vector512.Create(a.Scale);
        for (int blk = 0; blk < blocks; blk++)
        {
            for (int i = 0; i < 16; i++)
            {
                int q = 16 * blk + i;
                lseLanes[i] = q < L && !float.IsNegativeInfinity(lseRow[q]) ? lseRow[q] : float.PositiveInfinity;
            }
            var lseV = Vector512.Create((ReadOnlySpan<float>)lseLanes); // +inf makes dead or padded lanes exp(-inf) = 0
            uint rowBase = a.RowIndex(b, h, 16 * blk);
            for (int k = blk; k < n; k += blocks)
            {
                p[k] = FastMath.Exp(p[k] - lseV);
                z[k] = a.Dropping ? KeepFactors(mask, laneIndex, rowBase, k / blocks) : Vector512<float>.One;
                g[k] *= z[k];
            }
            var rowDot = Vector512<float>.Zero;
            for (int k = blk; k < n; k += blocks) rowDot = Vector512.FusedMultiplyAdd(p[k], g[k], rowDot);
            // Pass 2: score gradients; p becomes the applied weight p z.
            for (int k = blk; k < n; k += blocks)
            {
                ds[k] = p[k] * (g[k] - rowDot) * scale;
                p[k] *= z[k];
            }
        }
        // dQ^T[d] = Σ_j ds_j K[j, d], added into dqkv's query rows.
        WeightedRows(ds, blocks, qkv + (long)b * L * 3 * D + D + h * Dh, 3 * D, L, Dh, dqT);
        FromLanes(dqT, Dh, rows, dqkv, 3 * D, b, L, h * Dh, add: accumulate);
        // dK[j, :] += Σ_i ds_j[i] Q[i, :]; dV[j, :] += Σ_i (p z)_j[i] dO[i, :]: each lane broadcast against a contiguous row.
        // Key j's lanes are its queries 0 .. L-1 in order, 16 blocks floats after key j-1's (padding lanes beyond).
        float* dsLanes = (float*)ds, pzLanes = (float*)p;
        int keyStep = 16 * blocks;
        for (int d0 = 0; d0 < Dh; d0 += 16)
        {
            float* qRows = qkv + (long)b * L * 3 * D + h * Dh + d0;
            float* dORows = dOutput + (long)b * L * D + h * Dh + d0;
            float* dkRows = dqkv + (long)b * L * 3 * D + D + h * Dh + d0;
            int j = 0;
            for (; j + 4 <= L; j += 4)
                KeyGradients4(L, qRows, dORows, D, dsLanes + keyStep * j, pzLanes + keyStep * j, keyStep, dkRows + (long)j * 3 * D, accumulate);
            if (j < L && !accumulate && L >= 4)
            {
                // Written, not added: the last four keys as one group, recomputing (and rewriting) a few already done.
                j = L - 4;
                KeyGradients4(L, qRows, dORows, D, dsLanes + keyStep * j, pzLanes + keyStep * j, keyStep, dkRows + (long)j * 3 * D, accumulate);
                j = L;
            }
            for (; j < L; j++)
                KeyGradients1(L, qRows, dORows, D, dsLanes + keyStep * j, pzLanes + keyStep * j, dkRows + (long)j * 3 * D, accumulate);
        }
    }

    /// <summary>
    /// Keys j..j+3 of the dK/dV update: the four keys share every loaded row of Q and dO, and their eight independent
    /// chains hide the multiply-add latency that one key's two chains exposed. Rows of qkv (and dqkv) are 3D apart,
    /// rows of dO D apart; a key's dV sits D after its dK. Each key's lanes are keyStep floats after the previous key's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void KeyGradients4(int L, float* q, float* dO, int D, float* ds, float* pz, int keyStep, float* dk, bool accumulate)
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
        // ds and pz advance by one lane per query, so every broadcast has a fixed offset.
        for (int i = 0; i < L; i++, q += stride, dO += D, ds++, pz++)
        {
            var qi = Vector512.Load(q);
            var oi = Vector512.Load(dO);
            k0 = Vector512.FusedMultiplyAdd(Vector512.Create(ds[0]), qi, k0);
            k1 = Vector512.FusedMultiplyAdd(Vector512.Create(ds[keyStep]), qi, k1);
            k2 = Vector512.FusedMultiplyAdd(Vector512.Create(ds[2 * keyStep]), qi, k2);
            k3 = Vector512.FusedMultiplyAdd(Vector512.Create(ds[3 * keyStep]), qi, k3);
            v0 = Vector512.FusedMultiplyAdd(Vector512.Create(pz[0]), oi, v0);
            v1 = Vector512.FusedMultiplyAdd(Vector512.Create(pz[keyStep]), oi, v1);
            v2 = Vector512.FusedMultiplyAdd(Vector512.Create(pz[2 * keyStep]), oi, v2);
            v3 = Vector512.FusedMultiplyAdd(Vector512.Create(pz[3 * keyStep]), oi, v3);
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
