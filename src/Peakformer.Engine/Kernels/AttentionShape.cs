namespace Peakformer.Engine.Kernels;

/// <summary>
/// Geometry and options of one fused self-attention call: packed qkv[B, L, 3D] (as nn.MultiheadAttention's
/// in_proj produces it), output [B, L, D], H heads of Dh = D / H, optional key padding mask [B, L]
/// (non-zero = padded key), and dropout on the attention weights from a counter-based hash so the
/// backward pass can regenerate the mask instead of storing L x L values.
/// </summary>
internal readonly record struct AttentionShape(int Batch, int Length, int Heads, int HeadDim, float[]? Mask, int MaskOffset,
    float DropProbability, ulong DropSeed)
{
    public int Model => Heads * HeadDim;
    public float Scale => 1f / MathF.Sqrt(HeadDim);
    public bool Dropping => DropProbability > 0f;
    public DropoutMask DropMask => new(DropSeed, DropProbability);

    public bool Masked(int b, int j) => Mask is not null && Mask[MaskOffset + b * Length + j] != 0f;

    /// <summary>Mask index of weight (b, h, i, 0); weight (b, h, i, j) is this plus j (32-bit, wrapping).</summary>
    public uint RowIndex(int b, int h, int i) => (uint)(((b * Heads + h) * (long)Length + i) * Length);

    /// <summary>Dropout multiplier of weight (b, h, i, j): 0 or 1/(1-p).</summary>
    public float Keep(int b, int h, int i, int j) => DropMask.Factor(RowIndex(b, h, i) + (uint)j);
}
