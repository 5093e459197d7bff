using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>
/// nn.MultiheadAttention (self-attention, batch-first): packed in_proj_weight [3D, D] and in_proj_bias [3D],
/// out_proj Linear, dropout on the attention weights. Initialised as PyTorch does: xavier-uniform in_proj,
/// zero biases.
/// </summary>
public sealed class MultiheadAttention : Module
{
    private readonly Rng _rng;

    protected override IEnumerable<Rng> OwnGenerators() => [_rng];

    public MultiheadAttention(int model, int heads, float dropout, Rng rng)
    {
        if (heads <= 0 || model % heads != 0)
            throw new ArgumentException($"MultiheadAttention: model dimension {model} is not divisible by {heads} heads.");
        Model = model;
        Heads = heads;
        DropoutProbability = dropout;
        _rng = rng;
        double xavier = Math.Sqrt(6.0 / (model + 3 * model));
        InProjWeight = AddParameter("in_proj_weight", new Shape(3 * model, model), Uniform(rng, xavier));
        InProjBias = AddParameter("in_proj_bias", new Shape(3 * model), Constant(0f));
        OutProj = AddModule("out_proj", new Linear(model, model, rng));
        OutProj.Bias!.Value.Data.Clear();
    }

    public int Model { get; }
    public int Heads { get; }
    public float DropoutProbability { get; }
    public Parameter InProjWeight { get; }
    public Parameter InProjBias { get; }
    public Linear OutProj { get; }

    /// <summary>x[B, L, D] → [B, L, D]; keyPaddingMask [B, L] with non-zero at padded positions.</summary>
    /// <param name="probabilities">
    /// If given, [B, H, L, L] receives softmax(Q K^T / sqrt(d)) of every head (PyTorch's need_weights=True,
    /// average_attn_weights=False, before dropout), computed apart from the fused kernel, which never stores it:
    /// nothing is spent on it when it is not asked for. Not differentiated.
    /// </param>
    public Tensor Forward(Tape tape, Tensor x, Tensor? keyPaddingMask = null, Tensor? probabilities = null)
    {
        var qkv = Ops.Linear(tape, x, InProjWeight.Value, InProjBias.Value);
        if (probabilities is not null) Ops.AttentionProbabilities(qkv, Heads, probabilities, keyPaddingMask);
        var attended = Ops.Attention(tape, qkv, Heads, keyPaddingMask, DropoutProbability, Training, _rng);
        return OutProj.Forward(tape, attended);
    }

    /// <summary>
    /// x[B, L, D] → [B, D]: the output of <see cref="Forward"/> at the first token only (what a class-token head
    /// reads), with the first token's query projected alone and keys and values for every token. No mask, no
    /// dropout: callers take <see cref="Forward"/> while attention dropout is active.
    /// </summary>
    /// <param name="probabilities">If given, [B, H, L, L] receives every row's probabilities as from <see cref="Forward"/> (all queries are then projected, apart).</param>
    public Tensor ForwardFirstQuery(Tape tape, Tensor x, Tensor? probabilities = null)
    {
        if (Training && DropoutProbability > 0)
            throw new InvalidOperationException("MultiheadAttention.ForwardFirstQuery: no attention dropout on this path; use Forward while training with dropout.");
        if (probabilities is not null) Ops.AttentionProbabilities(Ops.Linear(tape, x, InProjWeight.Value, InProjBias.Value), Heads, probabilities);
        int d = Model;
        var kv = Ops.Linear(tape, x, Ops.Slice(tape, InProjWeight.Value, 0, d, 2 * d), Ops.Slice(tape, InProjBias.Value, 0, d, 2 * d));
        var q = Ops.Linear(tape, ClassToken.Select(tape, x), Ops.Slice(tape, InProjWeight.Value, 0, 0, d), Ops.Slice(tape, InProjBias.Value, 0, 0, d));
        return OutProj.Forward(tape, Ops.SingleQueryAttention(tape, q, kv, Heads));
    }

    /// <summary>
    /// The same attention in an ONNX graph, x[B, L, D] → [B, L, D]: in-projection, split into heads, softmax of the
    /// scaled products, out-projection. <paramref name="keyPaddingMask"/> (optional) names a float [B, L] value with
    /// non-zero at padded keys: they get the lowest float before the softmax and weight 0 after it, so a query whose
    /// keys are all padded gets a zero row, as in Peakformer (with -inf its softmax would be NaN).
    /// </summary>
    public string ExportOnnx(Onnx.OnnxGraph graph, string x, string? keyPaddingMask = null)
    {
        int dh = Model / Heads;
        var qkv = graph.Nodes("Split", [graph.Linear(x, InProjWeight, InProjBias)], 3, null, ("axis", 2L));
        var heads = graph.Int64s("heads_shape", [0, 0, Heads, dh]);
        string ToHeads(string t, long[] perm) => graph.Node("Transpose", [graph.Node("Reshape", [t, heads])], null, ("perm", perm));
        var q = ToHeads(qkv[0], [0, 2, 1, 3]);
        var kT = ToHeads(qkv[1], [0, 2, 3, 1]);
        var v = ToHeads(qkv[2], [0, 2, 1, 3]);
        var scores = graph.Node("Mul", [graph.Node("MatMul", [q, kT]), graph.Floats("scale", [1f / MathF.Sqrt(dh)])]);
        string weights;
        if (keyPaddingMask is null) weights = graph.Node("Softmax", [scores], null, ("axis", -1L));
        else
        {
            // [B, L] → [B, 1, 1, L], shared by every head and query.
            var padded = graph.Node("Unsqueeze", [graph.Node("Cast", [keyPaddingMask], null, ("to", 9L)), graph.Int64s("axes", [1, 2])]);
            var kept = graph.Node("Cast", [graph.Node("Not", [padded])], null, ("to", 1L));
            scores = graph.Node("Where", [padded, graph.Floats("lowest", [float.MinValue]), scores]);
            weights = graph.Node("Mul", [graph.Node("Softmax", [scores], null, ("axis", -1L)), kept]);
        }
        var attended = graph.Node("MatMul", [weights, v]);
        var merged = graph.Node("Reshape", [graph.Node("Transpose", [attended], null, ("perm", new long[] { 0, 2, 1, 3 })),
            graph.Int64s("model_shape", [0, 0, Model])]);
        return OutProj.ExportOnnx(graph, merged);
    }
}
